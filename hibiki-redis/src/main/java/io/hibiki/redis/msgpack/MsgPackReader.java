package io.hibiki.redis.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MessagePack written by Node peers (notepack.io 2/3, @msgpack/msgpack) into plain Java values:
 * {@code Map<String,Object>} (insertion order), {@code List<Object>}, String, Long, Double, Boolean, null and
 * byte[]. A uint64 above {@code Long.MAX_VALUE} becomes a Double, as in JavaScript. Timestamps (ext −1, 4, 8 or
 * 12 bytes) and notepack 2's Date (fixext 8, type 0: int64 milliseconds) become the string
 * {@code Date.toJSON()} gives ({@code 2024-05-01T12:00:00.000Z}; null for a date JavaScript cannot hold);
 * notepack 2's undefined ({@code d4 00 00}) becomes null and its ArrayBuffer (ext 8/16/32, type 0) byte[]. Other
 * extensions become {@code [type, bytes]}, as notepack returns them. Anything malformed or truncated throws
 * {@link MsgPackException}, never another exception.
 */
public final class MsgPackReader {

    private final byte[] in;
    private int pos;

    private MsgPackReader(byte[] in) {
        this.in = in;
    }

    /**
     * Decodes one value that must span the whole input.
     *
     * @param data the MessagePack bytes
     * @return the value as a Map, List, String, Long, Double, Boolean, byte[] or null
     * @throws MsgPackException if the input is malformed or truncated, nests deeper than 200 levels, or has bytes
     *                          after the value
     */
    public static Object read(byte[] data) throws MsgPackException {
        MsgPackReader r = new MsgPackReader(data);
        try {
            Object v = r.value(0);
            if (r.pos != data.length) {
                throw new MsgPackException("trailing bytes after MessagePack value");
            }
            return v;
        } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new MsgPackException("truncated MessagePack input");
        }
    }

    private Object value(int depth) throws MsgPackException {
        if (depth > 200) {
            throw new MsgPackException("MessagePack nested too deep");
        }
        int b = u8();
        if (b <= 0x7f) {
            return (long) b;
        }
        if (b >= 0xe0) {
            return (long) (byte) b;
        }
        if ((b & 0xf0) == 0x80) {
            return map(b & 0x0f, depth);
        }
        if ((b & 0xf0) == 0x90) {
            return array(b & 0x0f, depth);
        }
        if ((b & 0xe0) == 0xa0) {
            return str(b & 0x1f);
        }
        return switch (b) {
            case 0xc0 -> null;
            case 0xc2 -> Boolean.FALSE;
            case 0xc3 -> Boolean.TRUE;
            case 0xc4 -> bytes(u8());
            case 0xc5 -> bytes(u16());
            case 0xc6 -> bytes(len32());
            case 0xc7 -> ext(u8(), false);
            case 0xc8 -> ext(u16(), false);
            case 0xc9 -> ext(len32(), false);
            case 0xca -> (double) Float.intBitsToFloat((int) be(4));
            case 0xcb -> Double.longBitsToDouble(be(8));
            case 0xcc -> (long) u8();
            case 0xcd -> (long) u16();
            case 0xce -> be(4) & 0xffffffffL;
            case 0xcf -> unsigned64(be(8));
            case 0xd0 -> (long) (byte) u8();
            case 0xd1 -> (long) (short) u16();
            case 0xd2 -> (long) (int) be(4);
            case 0xd3 -> be(8);
            case 0xd4 -> ext(1, true);
            case 0xd5 -> ext(2, true);
            case 0xd6 -> ext(4, true);
            case 0xd7 -> ext(8, true);
            case 0xd8 -> ext(16, true);
            case 0xd9 -> str(u8());
            case 0xda -> str(u16());
            case 0xdb -> str(len32());
            case 0xdc -> array(u16(), depth);
            case 0xdd -> array(len32(), depth);
            case 0xde -> map(u16(), depth);
            case 0xdf -> map(len32(), depth);
            default -> throw new MsgPackException("unused MessagePack byte 0x" + Integer.toHexString(b));
        };
    }

    private Object ext(int size, boolean fixed) throws MsgPackException {
        int type = (byte) u8();
        byte[] data = bytes(size);
        if (type == -1) {
            return timestamp(data);
        }
        if (type == 0) {
            if (!fixed) {
                return data; // notepack 2: ArrayBuffer
            }
            if (size == 1) {
                return null; // notepack 2: undefined
            }
            if (size == 8) {
                return JsDate.iso(beOf(data, 0, 8)); // notepack 2: Date as int64 milliseconds
            }
        }
        return List.of((long) type, data);
    }

    private static Object timestamp(byte[] d) throws MsgPackException {
        long seconds;
        long nanos = 0;
        if (d.length == 4) {
            seconds = beOf(d, 0, 4) & 0xffffffffL;
        } else if (d.length == 8) {
            long v = beOf(d, 0, 8);
            nanos = v >>> 34;
            seconds = v & 0x3ffffffffL;
        } else if (d.length == 12) {
            nanos = beOf(d, 0, 4) & 0xffffffffL;
            seconds = beOf(d, 4, 8);
        } else {
            throw new MsgPackException("bad timestamp length " + d.length);
        }
        try {
            long ms = Math.addExact(Math.multiplyExact(seconds, 1000L), nanos / 1_000_000);
            // JavaScript truncates the fractional millisecond toward zero.
            return JsDate.iso(ms < 0 && nanos % 1_000_000 != 0 ? ms + 1 : ms);
        } catch (ArithmeticException e) {
            return null; // beyond any JavaScript Date: JSON.stringify gives null
        }
    }

    private static Object unsigned64(long v) {
        // As JavaScript computes it: hi * 2^32 + lo, one rounding.
        return v >= 0 ? (Object) v : (Object) ((double) (v >>> 32) * 0x1p32 + (double) (v & 0xffffffffL));
    }

    private Map<String, Object> map(int n, int depth) throws MsgPackException {
        Map<String, Object> m = new LinkedHashMap<>(Math.max(4, Math.min(n, 1024) * 2));
        for (int i = 0; i < n; i++) {
            Object k = value(depth + 1);
            m.put(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(k), value(depth + 1));
        }
        return m;
    }

    private List<Object> array(int n, int depth) throws MsgPackException {
        List<Object> l = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            l.add(value(depth + 1));
        }
        return l;
    }

    private String str(int n) {
        String s = new String(in, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        System.arraycopy(in, pos, b, 0, n);
        pos += n;
        return b;
    }

    private int u8() {
        return in[pos++] & 0xff;
    }

    private int u16() {
        return (int) be(2);
    }

    private int len32() throws MsgPackException {
        long n = be(4) & 0xffffffffL;
        if (n > in.length - pos) {
            throw new MsgPackException("MessagePack length " + n + " beyond input");
        }
        return (int) n;
    }

    private long be(int bytes) {
        long v = beOf(in, pos, bytes);
        pos += bytes;
        return v;
    }

    private static long beOf(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
