package io.hibiki.socketio.msgpack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads MessagePack written by Node peers (notepack.io 2/3, @msgpack/msgpack) into plain Java values, with
 * msgpack-core's unpacker; what this class adds is the mapping JavaScript peers expect:
 * {@code Map<String,Object>} (insertion order), {@code List<Object>}, String, Long, Double, Boolean, null and
 * byte[]. A uint64 above {@code Long.MAX_VALUE} becomes a Double, as in JavaScript. Timestamps (ext −1, 4, 8 or
 * 12 bytes) and notepack 2's Date (fixext 8, type 0: int64 milliseconds) become the string
 * {@code Date.toJSON()} gives ({@code 2024-05-01T12:00:00.000Z}; null for a date JavaScript cannot hold);
 * notepack 2's undefined ({@code d4 00 00}) becomes null and its ArrayBuffer (ext 8/16/32, type 0) byte[]. Other
 * extensions become {@code [type, bytes]}, as notepack returns them. Anything malformed or truncated throws
 * {@link MsgPackException}, never another exception.
 */
public final class MsgPackReader {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final MessageUnpacker in;
    private final int length;

    private MsgPackReader(byte[] data) {
        this.in = MessagePack.newDefaultUnpacker(data);
        this.length = data.length;
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
            if (r.in.hasNext()) {
                throw new MsgPackException("trailing bytes after MessagePack value");
            }
            return v;
        } catch (IOException | MessagePackException e) {
            throw new MsgPackException("truncated or malformed MessagePack input: " + e.getMessage());
        }
    }

    private Object value(int depth) throws IOException, MsgPackException {
        if (depth > 200) {
            throw new MsgPackException("MessagePack nested too deep");
        }
        MessageFormat f = in.getNextFormat();
        if (f == MessageFormat.NEVER_USED) {
            throw new MsgPackException("unused MessagePack byte 0xc1");
        }
        return switch (f.getValueType()) {
            case NIL -> {
                in.unpackNil();
                yield null;
            }
            case BOOLEAN -> in.unpackBoolean();
            case INTEGER -> f == MessageFormat.UINT64 ? unsigned64(in.unpackBigInteger()) : (Object) in.unpackLong();
            case FLOAT -> in.unpackDouble();
            case STRING -> new String(payload(in.unpackRawStringHeader()), StandardCharsets.UTF_8);
            case BINARY -> payload(in.unpackBinaryHeader());
            case ARRAY -> array(count(in.unpackArrayHeader()), depth);
            case MAP -> map(count(in.unpackMapHeader()), depth);
            case EXTENSION -> ext(f);
        };
    }

    /** What is left of the input: no length in a header may claim more (no allocation on a lie). */
    private int remaining() {
        return (int) (length - in.getTotalReadBytes());
    }

    private byte[] payload(int n) throws IOException, MsgPackException {
        if (n < 0 || n > remaining()) {
            throw new MsgPackException("MessagePack length " + Integer.toUnsignedString(n) + " beyond input");
        }
        return in.readPayload(n);
    }

    /** Every element takes at least one byte. */
    private int count(int n) throws MsgPackException {
        if (n < 0 || n > remaining()) {
            throw new MsgPackException("MessagePack length " + Integer.toUnsignedString(n) + " beyond input");
        }
        return n;
    }

    private Object ext(MessageFormat f) throws IOException, MsgPackException {
        ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
        if (h.getLength() < 0 || h.getLength() > remaining()) {
            throw new MsgPackException("MessagePack length " + Integer.toUnsignedString(h.getLength())
                    + " beyond input");
        }
        if (h.getType() == -1) {
            return timestamp(h);
        }
        boolean fixed = f != MessageFormat.EXT8 && f != MessageFormat.EXT16 && f != MessageFormat.EXT32;
        byte[] data = in.readPayload(h.getLength());
        if (h.getType() == 0) {
            if (!fixed) {
                return data; // notepack 2: ArrayBuffer
            }
            if (data.length == 1) {
                return null; // notepack 2: undefined
            }
            if (data.length == 8) {
                return JsDate.iso(beOf(data, 0, 8)); // notepack 2: Date as int64 milliseconds
            }
        }
        return List.of((long) h.getType(), data);
    }

    /**
     * The timestamp extension as @msgpack/msgpack decodes it into a JavaScript Date: {@code new Date(sec * 1000 +
     * nsec / 1e6)} with nsec unsigned and no range check, which is why this is not msgpack-core's
     * {@code unpackTimestamp} (an {@code Instant} refuses some of what JavaScript takes, and reads nsec signed).
     */
    private Object timestamp(ExtensionTypeHeader h) throws IOException, MsgPackException {
        byte[] d = in.readPayload(h.getLength());
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

    private static Object unsigned64(BigInteger v) {
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        // As JavaScript computes it: hi * 2^32 + lo, one rounding.
        long bits = v.signum() < 0 ? v.add(TWO_64).longValue() : v.longValue();
        return (double) (bits >>> 32) * 0x1p32 + (double) (bits & 0xffffffffL);
    }

    private Map<String, Object> map(int n, int depth) throws IOException, MsgPackException {
        Map<String, Object> m = new LinkedHashMap<>(Math.max(4, Math.min(n, 1024) * 2));
        for (int i = 0; i < n; i++) {
            Object k = value(depth + 1);
            m.put(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(k), value(depth + 1));
        }
        return m;
    }

    private List<Object> array(int n, int depth) throws IOException, MsgPackException {
        List<Object> l = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            l.add(value(depth + 1));
        }
        return l;
    }

    private static long beOf(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
