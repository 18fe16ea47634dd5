package io.hibiki.socketio.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The codec against bytes captured from Node peers (redis-wire.md §6) and every MessagePack form. */
class MsgPackTest {

    /** (a) a classic broadcast to room1 with binary, 76 bytes. */
    static final String BROADCAST = "93a66c4e68665a6983a47479706502a46461746193a362696ec40301020381a66e6573746564"
            + "c401ffa36e7370a12f83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380";
    /** (b) the BROADCAST_ACK reply, 43 bytes. */
    static final String ACK = "83a47479706509a9726571756573744964a64d4468544573a67061636b6574ab61636b2d66726f6d2d6331";
    /** (c) the emitter's message to room1, 74 bytes. */
    static final String EMITTER = "93a7656d697474657283a47479706502a46461746193ab66726f6d456d697474657201c4026869"
            + "a36e7370a12f83a5726f6f6d7391a5726f6f6d31a5666c61677380a665786365707490";

    private static final HexFormat HEX = HexFormat.of();

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    private static Object read(String hex) throws MsgPackException {
        return MsgPackReader.read(hex(hex));
    }

    private static String write(Object v) {
        return HEX.formatHex(MsgPackWriter.write(v));
    }

    @SafeVarargs
    private static <V> Map<String, V> map(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked") V v = (V) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }

    private static List<Object> capturedBroadcast() {
        return List.of("lNhfZi",
                map("type", 2, "data", List.of("bin", new byte[] {1, 2, 3}, map("nested", new byte[] {(byte) 0xff})),
                        "nsp", "/"),
                map("rooms", List.of("room1"), "except", List.of(), "flags", map()));
    }

    @Test
    void decodesCapturedBroadcast() throws Exception {
        assertEquals(76, hex(BROADCAST).length);
        List<?> top = (List<?>) read(BROADCAST);
        assertEquals("lNhfZi", top.get(0));
        Map<?, ?> packet = (Map<?, ?>) top.get(1);
        assertEquals(List.of("type", "data", "nsp"), List.copyOf(packet.keySet()));
        assertEquals(2L, packet.get("type"));
        List<?> data = (List<?>) packet.get("data");
        assertEquals("bin", data.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) data.get(1));
        assertArrayEquals(new byte[] {(byte) 0xff}, (byte[]) ((Map<?, ?>) data.get(2)).get("nested"));
        assertEquals("/", packet.get("nsp"));
        assertEquals(Map.of("rooms", List.of("room1"), "except", List.of(), "flags", Map.of()), top.get(2));
    }

    @Test
    void encodesCapturedMessagesByteForByte() throws Exception {
        assertEquals(BROADCAST, write(capturedBroadcast()));
        assertEquals(ACK, write(map("type", 9, "requestId", "MDhTEs", "packet", "ack-from-c1")));
        assertEquals(43, hex(ACK).length);
        assertEquals(map("type", 9L, "requestId", "MDhTEs", "packet", "ack-from-c1"), read(ACK));
        List<Object> emitter = List.of("emitter",
                map("type", 2, "data", List.of("fromEmitter", 1, new byte[] {0x68, 0x69}), "nsp", "/"),
                map("rooms", List.of("room1"), "flags", map(), "except", List.of()));
        assertEquals(EMITTER, write(emitter));
        assertEquals(74, hex(EMITTER).length);
        List<?> decoded = (List<?>) read(EMITTER);
        assertEquals(List.of("rooms", "flags", "except"), List.copyOf(((Map<?, ?>) decoded.get(2)).keySet()));
        // Flag variants of (a).
        assertEquals("82a8766f6c6174696c65c3a8636f6d7072657373c2", write(map("volatile", true, "compress", false)));
        assertEquals("81a774696d656f7574cd03e8", write(map("timeout", 1000L)));
    }

    @Test
    void jacksonTreesEncodeLikePlainValues() {
        ObjectMapper json = new ObjectMapper();
        assertEquals(BROADCAST, write(json.valueToTree(capturedBroadcast())));
        assertEquals("93c0cb3ff8000000000000c2", write(json.valueToTree(java.util.Arrays.asList(null, 1.5, false))));
    }

    @Test
    void integersUseTheSmallestForm() throws Exception {
        Object[][] cases = {
                {0L, "00"}, {127L, "7f"}, {128L, "cc80"}, {255L, "ccff"}, {256L, "cd0100"}, {65535L, "cdffff"},
                {65536L, "ce00010000"}, {4294967295L, "ceffffffff"}, {4294967296L, "cf0000000100000000"},
                {Long.MAX_VALUE, "cf7fffffffffffffff"}, {-1L, "ff"}, {-32L, "e0"}, {-33L, "d0df"}, {-128L, "d080"},
                {-129L, "d1ff7f"}, {-32768L, "d18000"}, {-32769L, "d2ffff7fff"}, {-2147483648L, "d280000000"},
                {-2147483649L, "d3ffffffff7fffffff"}, {Long.MIN_VALUE, "d38000000000000000"}};
        for (Object[] c : cases) {
            assertEquals(c[1], write(c[0]), "write " + c[0]);
            assertEquals(c[0], read((String) c[1]), "read " + c[1]);
        }
        assertEquals("cd0100", write(256));
        assertEquals("d0df", write((short) -33));
        // Other widths a peer may write for the same numbers.
        assertEquals(1L, read("cc01"));
        assertEquals(1L, read("cd0001"));
        assertEquals(1L, read("ce00000001"));
        assertEquals(1L, read("cf0000000000000001"));
        assertEquals(-1L, read("d0ff"));
        assertEquals(-1L, read("d1ffff"));
        assertEquals(-1L, read("d2ffffffff"));
        assertEquals(-1L, read("d3ffffffffffffffff"));
        // uint64 beyond Java's long: a double, as JavaScript reads it.
        assertEquals(18446744073709551615.0, read("cfffffffffffffffff"));
    }

    @Test
    void wholeDoublesAreIntegersOthersFloat64() throws Exception {
        assertEquals("03", write(3.0));
        assertEquals("00", write(-0.0));
        assertEquals("d0df", write(-33.0));
        assertEquals("cf0020000000000000", write(0x1p53));
        assertEquals("cb3ff8000000000000", write(1.5));
        assertEquals("cbbfb999999999999a", write(-0.1));
        assertEquals("cb3ff8000000000000", write(1.5f));
        assertEquals("cb7ff0000000000000", write(Double.POSITIVE_INFINITY));
        assertEquals("cb7ff8000000000000", write(Double.NaN));
        assertEquals("cb43e0000000000000", write(0x1p63));
        assertEquals(1.5, read("cb3ff8000000000000"));
        assertEquals(1.5, read("ca3fc00000"));
    }

    @Test
    void stringAndBinaryLengthForms() throws Exception {
        int[][] stringCases = {{0, 0xa0, 1}, {31, 0xbf, 1}, {32, 0xd9, 2}, {255, 0xd9, 2}, {256, 0xda, 3},
                {65535, 0xda, 3}, {65536, 0xdb, 5}};
        for (int[] c : stringCases) {
            String s = "x".repeat(c[0]);
            byte[] out = MsgPackWriter.write(s);
            assertEquals(c[1], out[0] & 0xff, "str " + c[0]);
            assertEquals(c[0] + c[2], out.length);
            assertEquals(s, MsgPackReader.read(out));
        }
        assertEquals("a3e282ac", write("€"));
        int[][] binCases = {{0, 0xc4, 2}, {255, 0xc4, 2}, {256, 0xc5, 3}, {65535, 0xc5, 3}, {65536, 0xc6, 5}};
        for (int[] c : binCases) {
            byte[] b = new byte[c[0]];
            java.util.Arrays.fill(b, (byte) 7);
            byte[] out = MsgPackWriter.write(b);
            assertEquals(c[1], out[0] & 0xff, "bin " + c[0]);
            assertEquals(c[0] + c[2], out.length);
            assertArrayEquals(b, (byte[]) MsgPackReader.read(out));
        }
        assertArrayEquals(new byte[] {1, 2}, (byte[]) MsgPackReader.read(MsgPackWriter.write(
                java.nio.ByteBuffer.wrap(new byte[] {0, 1, 2}, 1, 2))));
    }

    @Test
    void arrayAndMapLengthForms() throws Exception {
        int[][] cases = {{15, 0x9f, 0x8f}, {16, 0xdc, 0xde}, {65535, 0xdc, 0xde}, {65536, 0xdd, 0xdf}};
        for (int[] c : cases) {
            List<Object> list = new ArrayList<>(Collections.nCopies(c[0], 1L));
            byte[] a = MsgPackWriter.write(list);
            assertEquals(c[1], a[0] & 0xff);
            assertEquals(list, MsgPackReader.read(a));
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < c[0]; i++) {
                m.put(Integer.toString(i), (long) i);
            }
            byte[] b = MsgPackWriter.write(m);
            assertEquals(c[2], b[0] & 0xff);
            assertEquals(m, MsgPackReader.read(b));
        }
        assertEquals(List.of(1L), read("dc000101"));
        assertEquals(Map.of("a", 1L), read("de0001a16101"));
        assertEquals(List.of(), read("dd00000000"));
        assertEquals(Map.of(), read("df00000000"));
    }

    @Test
    void nullMapValuesAreOmittedLikeUndefined() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", null);
        m.put("b", 1);
        assertEquals("81a16201", write(m));
        assertEquals("92c001", write(java.util.Arrays.asList(null, 1)));
        assertEquals(Map.of("a", true), read("81a161c3"));
        assertNull(read("c0"));
    }

    @Test
    void timestampsBecomeJavaScriptIsoStrings() throws Exception {
        // timestamp 32: 2024-05-01T12:00:00Z
        assertEquals("2024-05-01T12:00:00.000Z", read("d6ff66322ec0"));
        // timestamp 64: the same second + 123456789 ns (ms truncated)
        long ts64 = (123456789L << 34) | 0x66322ec0L;
        assertEquals("2024-05-01T12:00:00.123Z", read("d7ff" + String.format("%016x", ts64)));
        // timestamp 96: before 1970, and a year beyond 9999
        assertEquals("1969-12-31T23:59:59.500Z", read("c70cff1dcd6500ffffffffffffffff"));
        assertEquals("+010000-01-01T00:00:00.000Z", read("c70cff00000000" + String.format("%016x", 253402300800L)));
        assertNull(read("c70cff000000007fffffffffffffff"));
        assertThrows(MsgPackException.class, () -> read("d5ff0000"));
    }

    @Test
    void notepack2LegacyForms() throws Exception {
        assertNull(read("d40000"));
        assertEquals(java.util.Arrays.asList(null, 1L), read("92d4000001"));
        // fixext 8, type 0: Date as int64 milliseconds (1714564800123 = 2024-05-01T12:00:00.123Z)
        assertEquals("2024-05-01T12:00:00.123Z", read("d700" + String.format("%016x", 1714564800123L)));
        assertEquals("1969-12-31T23:59:59.999Z", read("d700ffffffffffffffff"));
        // ext 8/16/32 with type 0: ArrayBuffer
        assertArrayEquals(new byte[] {9}, (byte[]) read("c7010009"));
        assertArrayEquals(new byte[] {9, 8}, (byte[]) read("c800020009" + "08"));
        assertArrayEquals(new byte[] {}, (byte[]) read("c90000000000"));
        // Unknown extensions come back as [type, bytes], as notepack returns them.
        List<?> ext = (List<?>) read("d50501ff");
        assertEquals(5L, ext.get(0));
        assertArrayEquals(new byte[] {1, (byte) 0xff}, (byte[]) ext.get(1));
    }

    @Test
    void malformedInputThrowsMsgPackException() {
        String[] bad = {"", "c1", "92", "9201", "81a161", "a5616263", "c403", "c5ffff", "c6ffffffff01",
                "dbffffffff", "ddffffffff", "dfffffffff", "cd01", "cf0000", "cb3ff8", "d6ff0000", "c7", "c70cff00",
                "0000", "d9", "de00", "dc0001"};
        for (String b : bad) {
            assertThrows(MsgPackException.class, () -> read(b), b);
        }
        assertThrows(MsgPackException.class, () -> MsgPackReader.read(hex("91".repeat(300) + "00")));
    }

    @Test
    void randomMutationsNeverThrowAnythingElse() {
        Random random = new Random(20240501);
        byte[][] seeds = {hex(BROADCAST), hex(ACK), hex(EMITTER), hex("c70cff1dcd6500ffffffffffffffff"),
                hex("d700ffffffffffffffff"), MsgPackWriter.write(List.of("x".repeat(300), new byte[300], 1.5))};
        for (int i = 0; i < 20_000; i++) {
            byte[] seed = seeds[i % seeds.length];
            byte[] b = java.util.Arrays.copyOf(seed, random.nextInt(4) == 0 ? random.nextInt(seed.length + 1)
                    : seed.length);
            for (int n = random.nextInt(4) + 1; n > 0 && b.length > 0; n--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                MsgPackReader.read(b);
            } catch (MsgPackException expected) {
                // fine: the only failure allowed
            } catch (RuntimeException e) {
                throw new AssertionError("input " + HEX.formatHex(b) + " threw " + e, e);
            }
        }
    }
}
