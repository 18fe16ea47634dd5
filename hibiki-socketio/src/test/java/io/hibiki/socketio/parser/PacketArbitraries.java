package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for Socket.IO packets as the server builds them: JSON-ish data (strings over all of Unicode, numbers,
 * booleans, nulls, nested lists and maps) with {@code byte[]} at any depth, and every packet type with random
 * namespaces and ack ids. Also the oracle: the decoded tree each generated value must come back as.
 */
final class PacketArbitraries {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Equal when both are numbers of the same value (an encoded long may come back as an int node). */
    static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private PacketArbitraries() {
    }

    static Arbitrary<String> anyText() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().alpha().numeric().ofMaxLength(8)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().withChars("\"\\/,[]{}-_0123456789\u0000\u001e\u2028é🌸")
                        .ofMaxLength(8)));
    }

    /** Map keys: anything but {@code _placeholder}, reserved by the protocol (a user object using it is ambiguous). */
    private static Arbitrary<String> keys() {
        return anyText().filter(k -> !k.equals("_placeholder"));
    }

    private static Arbitrary<Object> leaf() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, anyText()),
                Tuple.of(2, Arbitraries.integers()),
                Tuple.of(1, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.doubles().ofScale(6).between(-1e12, 1e12)),
                Tuple.of(1, Arbitraries.of(true, false)),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(16)))
                .map(o -> (Object) o).injectNull(0.08);
    }

    /** A JSON-ish value up to {@code depth} levels of lists and maps deep. */
    static Arbitrary<Object> value(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> value(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(4, leaf()),
                Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.maps(keys(), inner).ofMaxSize(4).map(m -> (Object) m)));
    }

    static Arbitrary<String> namespaces() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Packet.MAIN_NAMESPACE)),
                Tuple.of(2, anyText().map(s -> "/" + s.replace(",", ""))));
    }

    private static Arbitrary<Long> ids() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Packet.NO_ID)),
                Tuple.of(2, Arbitraries.longs().between(0, 1000)),
                Tuple.of(1, Arbitraries.longs().between(0, 999_999_999_999_999L)));
    }

    private static Arbitrary<Object> eventName() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, anyText().filter(n -> !PayloadRules.RESERVED_EVENTS.contains(n)).map(n -> (Object) n)),
                Tuple.of(1, Arbitraries.integers().between(0, 99).map(n -> (Object) n)));
    }

    /** Packets of every type; events and acks carry arbitrary arguments, binary included. */
    static Arbitrary<Packet> packets() {
        Arbitrary<List<Object>> args = value(3).list().ofMaxSize(4);
        Arbitrary<Packet> events = Combinators.combine(namespaces(), ids(), eventName(), args)
                .as((ns, id, name, rest) -> {
                    List<Object> data = new ArrayList<>();
                    data.add(name);
                    data.addAll(rest);
                    return Packet.event(ns, id, data);
                });
        Arbitrary<Packet> acks = Combinators.combine(namespaces(), Arbitraries.longs().between(0, 1_000_000), args)
                .as(Packet::ack);
        // CONNECT payloads cannot carry binary (the encoder refuses it, as socket.io-parser has no wire form).
        Arbitrary<Map<String, Object>> jsonObjects = Arbitraries.maps(keys(), value(2)).ofMaxSize(3)
                .filter(m -> binaryCount(m) == 0);
        Arbitrary<Packet> connects = Combinators.combine(namespaces(), jsonObjects.injectNull(0.3))
                .as((ns, auth) -> Packet.connect(ns, auth));
        Arbitrary<Packet> errors = Combinators.combine(namespaces(), anyText())
                .as((ns, message) -> Packet.connectError(ns, Map.of("message", message)));
        Arbitrary<Packet> disconnects = namespaces().map(Packet::disconnect);
        return Arbitraries.frequencyOf(Tuple.of(6, events), Tuple.of(3, acks), Tuple.of(1, connects),
                Tuple.of(1, errors), Tuple.of(1, disconnects));
    }

    /** How many {@code byte[]} values {@code value} holds at any depth. */
    static int binaryCount(Object value) {
        if (value instanceof byte[]) {
            return 1;
        }
        int n = 0;
        if (value instanceof List<?> list) {
            for (Object v : list) {
                n += binaryCount(v);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                n += binaryCount(v);
            }
        }
        return n;
    }

    /** The tree the decoder must produce for {@code value}: binary as binary nodes. Maps and lists may nest. */
    static JsonNode expectedTree(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof byte[] b) {
            return NODES.binaryNode(b);
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(BigDecimal.valueOf(d));
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(v -> array.add(expectedTree(v)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set((String) k, expectedTree(v)));
            return object;
        }
        throw new IllegalArgumentException("not generated here: " + value.getClass());
    }
}
