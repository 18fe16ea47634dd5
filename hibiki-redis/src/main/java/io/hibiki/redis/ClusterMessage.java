package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The envelope of socket.io-adapter's {@code ClusterAdapter} (used by Node's sharded Redis adapter):
 * {@code {type, data, uid, nsp}}. See {@code docs/redis-wire.md} §3.
 */
final class ClusterMessage {

    private ClusterMessage() {
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
        return ClusterWire.MAY_CARRY_BINARY.contains(type) && ClusterWire.hasBinary(tree) ? MsgPackWriter.write(envelope)
                : Codec.json(envelope);
    }
}
