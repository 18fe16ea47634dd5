package io.hibiki.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.msgpack.MsgPackException;
import io.hibiki.socketio.msgpack.MsgPackReader;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON or MessagePack, as the Node adapters choose: receivers sniff the first byte ({@code {} means JSON). */
final class Codec {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(Codec.class);

    private Codec() {
    }

    /** A peer's message as plain Java values, or null (logged at debug level) when it is neither format. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> decodeMap(byte[] message) {
        try {
            Object decoded = message.length > 0 && message[0] == '{'
                    ? JSON.readValue(message, Map.class) : MsgPackReader.read(message);
            return decoded instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (IOException | MsgPackException e) {
            log.debug("ignoring malformed Redis message: {}", e.getMessage());
            return null;
        }
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-able: " + e.getMessage(), e);
        }
    }
}
