package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hibiki.socketio.msgpack.MsgPackException;
import io.hibiki.socketio.msgpack.MsgPackReader;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads packets as socket.io-msgpack-parser 3 writes them: each packet one binary message, a MessagePack map
 * {@code {type, nsp, data?, id?}} (notepack.io's dialect). It refuses what that parser's decoder refuses (a type
 * outside 0–4, a namespace that is not a string, an id that is not an integer, data of the wrong shape) and, as the
 * default parser does, reserved event names, which Node's msgpack decoder lets through. Values arrive as the default
 * parser's do: a Jackson tree, binary as {@link com.fasterxml.jackson.databind.node.BinaryNode}, a Date as the
 * string {@code Date.toJSON()} gives, JavaScript's undefined in an array as null.
 */
public final class MsgPackPacketDecoder implements MessageDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Ack ids stay below 10^15, as {@link PacketDecoder#MAX_ID_DIGITS} keeps them in the default format. */
    private static final long MAX_ID = 999_999_999_999_999L;

    /** Text messages never carry msgpack packets. */
    @Override
    public Packet decodeText(String message) throws PacketParseException {
        throw new PacketParseException("the msgpack parser takes binary messages only");
    }

    @Override
    public Packet decodeBinary(byte[] message) throws PacketParseException {
        Objects.requireNonNull(message, "message");
        Object decoded;
        try {
            decoded = MsgPackReader.read(message);
        } catch (MsgPackException e) {
            throw new PacketParseException("not MessagePack: " + e.getMessage());
        }
        if (!(decoded instanceof Map<?, ?> map)) {
            throw new PacketParseException("a msgpack packet is a map");
        }
        PacketType type = type(map.get("type"));
        // A namespace is a string, as the JS decoder checks, and one this server could have: "/…" without ','.
        if (!(map.get("nsp") instanceof String nsp) || !nsp.startsWith("/") || nsp.indexOf(',') >= 0) {
            throw new PacketParseException("invalid namespace");
        }
        long id = id(map.get("id"));
        // Undefined (how the JS client sends a CONNECT without auth) and null both mean no data.
        Object raw = map.get("data");
        JsonNode data = raw == null ? null : tree(raw);
        PayloadRules.check(type, data);
        return new Packet(type, nsp, id, data);
    }

    @Override
    public void reset() {
        // Nothing spans messages.
    }

    private static PacketType type(Object type) throws PacketParseException {
        if (!(type instanceof Long code) || code < 0 || code > PacketType.CONNECT_ERROR.code()) {
            throw new PacketParseException("invalid packet type");
        }
        return PacketType.fromCode(code.intValue());
    }

    /** An integer (notepack writes whole numbers as integers; a whole float counts, as Number.isInteger says). */
    private static long id(Object id) throws PacketParseException {
        if (id == null) {
            return Packet.NO_ID;
        }
        long value;
        if (id instanceof Long l) {
            value = l;
        } else if (id instanceof Double d && d == Math.rint(d) && Math.abs(d) <= MAX_ID) {
            value = d.longValue();
        } else {
            throw new PacketParseException("invalid packet id");
        }
        if (value < 0 || value > MAX_ID) {
            throw new PacketParseException("invalid packet id");
        }
        return value;
    }

    /** Plain values from the reader as the Jackson tree the rest of the server reads. */
    private static JsonNode tree(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Long l) {
            return l == l.intValue() ? NODES.numberNode(l.intValue()) : NODES.numberNode(l);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof byte[] b) {
            return NODES.binaryNode(b);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                o.set(String.valueOf(e.getKey()), tree(e.getValue()));
            }
            return o;
        }
        ArrayNode a = NODES.arrayNode();
        for (Object item : (List<?>) v) {
            a.add(tree(item));
        }
        return a;
    }
}
