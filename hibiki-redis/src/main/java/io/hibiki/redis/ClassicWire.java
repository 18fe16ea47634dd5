package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.parser.Packet;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shapes Node's classic redis adapter puts on the wire: packet and options maps, ids, request types.
 * See {@code docs/redis-wire.md} §1.
 */
final class ClassicWire {

    static final int SOCKETS = 0;
    static final int ALL_ROOMS = 1;
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;
    static final int REMOTE_FETCH = 5;
    static final int SERVER_SIDE_EMIT = 6;
    static final int BROADCAST = 7;
    static final int BROADCAST_CLIENT_COUNT = 8;
    static final int BROADCAST_ACK = 9;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClassicWire() {
    }

    /** Six random characters, as uid2(6): adapter uids and request ids. */
    static String randomId() {
        StringBuilder sb = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * The packet map {type, data, nsp} with data as a tree (binary as binary nodes). Never an ack id: as in Node,
     * each receiving node numbers the acks of its own clients.
     */
    static Map<String, Object> packet(Packet p, ObjectMapper mapper) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", 2);
        m.put("data", p.data() instanceof JsonNode n ? n : mapper.valueToTree(p.data()));
        m.put("nsp", p.namespace());
        return m;
    }
}
