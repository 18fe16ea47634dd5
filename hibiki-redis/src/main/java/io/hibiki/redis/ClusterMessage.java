package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import io.hibiki.socketio.parser.Packet;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The envelope of socket.io-adapter's {@code ClusterAdapter} (used by Node's sharded Redis adapter):
 * {@code {type, data, uid, nsp}}. See {@code docs/redis-wire.md} §3.
 */
final class ClusterMessage {

    static final int BROADCAST = 3;
    static final int SOCKETS_JOIN = 4;
    static final int SOCKETS_LEAVE = 5;
    static final int DISCONNECT_SOCKETS = 6;
    static final int FETCH_SOCKETS = 7;
    static final int FETCH_SOCKETS_RESPONSE = 8;
    static final int SERVER_SIDE_EMIT = 9;
    static final int SERVER_SIDE_EMIT_RESPONSE = 10;
    static final int BROADCAST_CLIENT_COUNT = 11;
    static final int BROADCAST_ACK = 12;

    /** Types whose data may carry binary; only these switch to MessagePack when it does. */
    private static final Set<Integer> MAY_CARRY_BINARY = Set.of(BROADCAST, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT,
            SERVER_SIDE_EMIT_RESPONSE, BROADCAST_ACK);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterMessage() {
    }

    /** Eight random bytes in hex: uids and request ids. */
    static String randomId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Encodes {@code {type, data, uid, nsp}} (data fields in the given order, null ones left out) as JSON, or as
     * MessagePack when the type may carry binary and does.
     */
    static byte[] encode(int type, Map<String, Object> data, String uid, String nsp) {
        ObjectNode envelope = Codec.JSON.createObjectNode();
        envelope.put("type", type);
        Map<String, Object> present = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if (v != null) {
                present.put(k, v);
            }
        });
        JsonNode tree = Codec.JSON.valueToTree(present);
        envelope.set("data", tree);
        envelope.put("uid", uid);
        envelope.put("nsp", nsp);
        return MAY_CARRY_BINARY.contains(type) && Codec.hasBinary(tree) ? MsgPackWriter.write(envelope)
                : Codec.json(envelope);
    }

    /** An event packet as the envelope carries it: {@code {type, data}}, no namespace (the envelope has it). */
    static Map<String, Object> packet(Packet p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", 2);
        m.put("data", p.data());
        return m;
    }

    /** Builds a data map in field order: {@code data("packet", p, "opts", o)}. */
    static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
