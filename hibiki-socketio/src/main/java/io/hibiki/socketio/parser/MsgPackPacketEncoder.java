package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes packets byte for byte as a Node server with socket.io-msgpack-parser 3 does: each packet one binary
 * message, the packet object in notepack.io 2.2's MessagePack (that parser's own dependency), with the keys Node's
 * server sets, in its order: an event {@code type, data[, id], nsp}, an acknowledgement {@code id, type, data, nsp},
 * a connect {@code type, data: {sid, pid}, nsp} (pid undefined without recovery), a connect error
 * {@code type, data: {message, data}, nsp} (an unknown namespace: {@code type, nsp, data: {message}}), a disconnect
 * {@code type, nsp}. Data goes through the server's mapper as a Jackson tree, so it is what the default parser would
 * write (its inclusion rules, JSON null as nil), with binary values inline as MessagePack bin.
 * One difference in order remains: Node writes {@code nsp} before {@code id} for an event sent to many sockets with
 * an acknowledgement ({@code io.timeout(…).emitWithAck}); key order carries no meaning to a decoder.
 */
public final class MsgPackPacketEncoder extends PacketEncoder {

    /** The message of a CONNECT_ERROR for a namespace that does not exist (Node builds that packet differently). */
    private static final String INVALID_NAMESPACE = "Invalid namespace";

    private final ObjectMapper mapper;

    /**
     * An encoder converting application objects with {@code mapper}.
     *
     * @param mapper the server's mapper
     */
    public MsgPackPacketEncoder(ObjectMapper mapper) {
        super(mapper);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public EncodedPacket encode(Packet packet) {
        Object data = packet.data() instanceof MissingNode ? null : packet.data();
        Map<String, Object> out = new LinkedHashMap<>(8);
        try {
            switch (packet.type()) {
                case EVENT, BINARY_EVENT -> {
                    out.put("type", PacketType.EVENT.code());
                    out.put("data", tree(data));
                    if (packet.hasId()) {
                        out.put("id", packet.id());
                    }
                    out.put("nsp", packet.namespace());
                }
                case ACK, BINARY_ACK -> {
                    out.put("id", packet.id());
                    out.put("type", PacketType.ACK.code());
                    out.put("data", tree(data));
                    out.put("nsp", packet.namespace());
                }
                case CONNECT -> {
                    out.put("type", PacketType.CONNECT.code());
                    out.put("data", data instanceof Map<?, ?> m && m.containsKey("sid")
                            ? answer(m) : tree(data));
                    out.put("nsp", packet.namespace());
                }
                case CONNECT_ERROR -> {
                    out.put("type", PacketType.CONNECT_ERROR.code());
                    if (data instanceof Map<?, ?> m && INVALID_NAMESPACE.equals(m.get("message")) && m.size() == 1) {
                        out.put("nsp", packet.namespace());
                        out.put("data", Map.of("message", INVALID_NAMESPACE));
                    } else {
                        out.put("data", data instanceof Map<?, ?> m && m.containsKey("message")
                                ? error(m) : tree(data));
                        out.put("nsp", packet.namespace());
                    }
                }
                case DISCONNECT -> {
                    out.put("type", PacketType.DISCONNECT.code());
                    out.put("nsp", packet.namespace());
                }
            }
            return EncodedPacket.frame(MsgPackWriter.writeNotepack2(out, mapper::valueToTree));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot serialise packet data: " + e.getMessage(), e);
        }
    }

    /** Application data as the default parser would write it, as a tree. */
    private JsonNode tree(Object data) {
        return data == null ? null : data instanceof JsonNode n ? n : mapper.valueToTree(data);
    }

    /** {@code {sid, pid}}: Node's answer always has pid, undefined when recovery is off. */
    private static Map<String, Object> answer(Map<?, ?> m) {
        Map<String, Object> a = new LinkedHashMap<>(4);
        a.put("sid", m.get("sid"));
        a.put("pid", m.get("pid"));
        return a;
    }

    /** {@code {message, data}}: Node's middleware error always has data, undefined when there is none. */
    private Map<String, Object> error(Map<?, ?> m) {
        Map<String, Object> e = new LinkedHashMap<>(4);
        e.put("message", m.get("message"));
        e.put("data", tree(m.get("data")));
        return e;
    }
}
