package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hibiki.testsupport.SampleText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Randomized property tests with fixed seeds for the Socket.IO module: {@link #forAll} runs a check over samples
 * drawn from deterministically seeded {@link Random}s and names the failing input and its seed. The samples are
 * Socket.IO packets as the server builds them: JSON-ish data (strings over all of UTF-16, numbers, booleans, nulls,
 * nested lists and maps) with {@code byte[]} at any depth, and every packet type with random namespaces and ack ids.
 * Also the oracle: the decoded tree each generated value must come back as.
 */
public final class RandomPackets {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JSON_CHARS = "\"\\/,[]{}-_0123456789\u0000\u001e\u2028é🌸";
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final List<Integer> EDGE_INTS = List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
    private static final List<Long> EDGE_LONGS = List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);

    /** Equal when both are numbers of the same value (an encoded long may come back as an int node). */
    static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private RandomPackets() {
    }

    /** A property of one sample; anything it throws fails the test. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T sample) throws Exception;
    }

    /**
     * Runs {@code check} on {@code tries} samples. Try {@code i} draws its sample from {@code new Random(s)}, where
     * {@code s} is the {@code i}-th {@code nextLong()} of {@code new Random(seed)}; a failure reports the seed, the
     * try, {@code s} and the sample, so {@code generator.apply(new Random(s))} gives the failing input back.
     */
    public static <T> void forAll(long seed, int tries, Function<Random, T> generator, Check<T> check) {
        Random sampleSeeds = new Random(seed);
        for (int i = 0; i < tries; i++) {
            long sampleSeed = sampleSeeds.nextLong();
            T sample = generator.apply(new Random(sampleSeed));
            try {
                check.accept(sample);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("seed " + seed + ", try " + i + " (sample seed " + sampleSeed + "), input "
                        + describe(sample) + ": " + e, e);
            }
        }
    }

    /** A readable form of a sample: strings quoted with non-ASCII escaped, byte arrays listed, packets spelled out. */
    public static String describe(Object o) {
        return SampleText.describe(o, x -> x instanceof Packet p ? "Packet[" + p.type() + " "
                + describe(p.namespace()) + " id " + p.id() + " " + describe(p.data()) + "]" : null);
    }

    // ---- primitives ----

    /** An index chosen with the given relative weights. */
    public static int weighted(Random r, int... weights) {
        int n = r.nextInt(Arrays.stream(weights).sum());
        int i = 0;
        while (n >= weights[i]) {
            n -= weights[i++];
        }
        return i;
    }

    public static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    public static <T> List<T> list(Random r, int minSize, int maxSize, Function<Random, T> element) {
        int size = r.nextInt(minSize, maxSize + 1);
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.apply(r));
        }
        return out;
    }

    public static byte[] bytes(Random r, int minSize, int maxSize) {
        byte[] b = new byte[r.nextInt(minSize, maxSize + 1)];
        r.nextBytes(b);
        return b;
    }

    /** A string of {@code minLength} to {@code maxLength} chars taken from {@code alphabet}. */
    public static String chars(Random r, String alphabet, int minLength, int maxLength) {
        char[] out = new char[r.nextInt(minLength, maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    /** Up to {@code maxLength} of any chars (lone surrogates and controls included), a quarter printable ASCII. */
    public static String anyChars(Random r, int maxLength) {
        char[] out = new char[r.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (char) (r.nextInt(4) == 0 ? r.nextInt(0x20, 0x7f) : r.nextInt(0x10000));
        }
        return new String(out);
    }

    // ---- data ----

    /** Short alphanumeric text (3), any chars (1), or JSON's and the protocol's special characters (1). */
    static String anyText(Random r) {
        return switch (weighted(r, 3, 1, 1)) {
            case 0 -> chars(r, ALPHANUMERIC, 0, 8);
            case 1 -> anyChars(r, 12);
            default -> chars(r, JSON_CHARS, 0, 8);
        };
    }

    /** Map keys: anything but {@code _placeholder}, reserved by the protocol (a user object using it is ambiguous). */
    private static String key(Random r) {
        String k;
        do {
            k = anyText(r);
        } while (k.equals("_placeholder"));
        return k;
    }

    /** A leaf value, {@code null} 8% of the time; integers and longs lean towards their edge values. */
    private static Object leaf(Random r) {
        if (r.nextInt(100) < 8) {
            return null;
        }
        return switch (weighted(r, 4, 2, 1, 1, 1, 2)) {
            case 0 -> anyText(r);
            case 1 -> r.nextInt(8) == 0 ? pick(r, EDGE_INTS) : (Object) r.nextInt();
            case 2 -> r.nextInt(8) == 0 ? pick(r, EDGE_LONGS) : (Object) r.nextLong();
            // Six decimals between -1e12 and 1e12.
            case 3 -> BigDecimal.valueOf(r.nextLong(-1_000_000_000_000_000_000L, 1_000_000_000_000_000_001L), 6)
                    .doubleValue();
            case 4 -> r.nextBoolean();
            default -> bytes(r, 0, 16);
        };
    }

    /** A JSON-ish value up to {@code depth} levels of lists and maps deep. */
    static Object value(Random r, int depth) {
        if (depth == 0) {
            return leaf(r);
        }
        return switch (weighted(r, 4, 1, 1)) {
            case 0 -> leaf(r);
            case 1 -> list(r, 0, 4, x -> value(x, depth - 1));
            default -> map(r, 4, x -> value(x, depth - 1));
        };
    }

    /** Up to {@code maxSize} entries with distinct keys. */
    private static Map<String, Object> map(Random r, int maxSize, Function<Random, Object> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        int size = r.nextInt(maxSize + 1);
        while (m.size() < size) {
            m.put(key(r), values.apply(r));
        }
        return m;
    }

    static String namespace(Random r) {
        return weighted(r, 3, 2) == 0 ? Packet.MAIN_NAMESPACE : "/" + anyText(r).replace(",", "");
    }

    private static long id(Random r) {
        return switch (weighted(r, 2, 2, 1)) {
            case 0 -> Packet.NO_ID;
            case 1 -> r.nextLong(1001);
            default -> r.nextLong(1_000_000_000_000_000L);
        };
    }

    private static Object eventName(Random r) {
        if (weighted(r, 6, 1) == 1) {
            return r.nextInt(100);
        }
        String name;
        do {
            name = anyText(r);
        } while (PayloadRules.RESERVED_EVENTS.contains(name));
        return name;
    }

    /** A packet of any type; events and acks carry arbitrary arguments, binary included. */
    static Packet packet(Random r) {
        return switch (weighted(r, 6, 3, 1, 1, 1)) {
            case 0 -> {
                String ns = namespace(r);
                long id = id(r);
                List<Object> data = new ArrayList<>();
                data.add(eventName(r));
                data.addAll(list(r, 0, 4, x -> value(x, 3)));
                yield Packet.event(ns, id, data);
            }
            case 1 -> Packet.ack(namespace(r), r.nextLong(1_000_001), list(r, 0, 4, x -> value(x, 3)));
            case 2 -> {
                // CONNECT payloads cannot carry binary (the encoder refuses it, as socket.io-parser has no wire form).
                String ns = namespace(r);
                Map<String, Object> auth;
                do {
                    auth = map(r, 3, x -> value(x, 2));
                } while (binaryCount(auth) > 0);
                yield Packet.connect(ns, r.nextInt(10) < 3 ? null : auth);
            }
            case 3 -> Packet.connectError(namespace(r), Map.of("message", anyText(r)));
            default -> Packet.disconnect(namespace(r));
        };
    }

    /** How many {@code byte[]} values {@code value} holds at any depth. */
    static int binaryCount(Object value) {
        if (value instanceof byte[]) {
            return 1;
        }
        Collection<?> children = value instanceof List<?> l ? l : value instanceof Map<?, ?> m ? m.values() : List.of();
        return children.stream().mapToInt(RandomPackets::binaryCount).sum();
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
