package io.hibiki.redis.msgpack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes MessagePack the way Node's notepack.io 3 does, so Node peers read our messages as their own: whole
 * numbers in the smallest integer form (a whole double too, as JavaScript has one number type), other numbers as
 * float64, binary as bin 8/16/32, strings as fixstr/str 8/16/32, arrays and maps as fix/16/32, map keys as strings.
 * A Java {@code null} map value is JavaScript's {@code undefined}: the entry is left out, as notepack leaves it
 * (a Jackson {@code NullNode} is JSON null and is written as nil; {@code null} in a list is nil).
 * Accepts plain Java values (Map, Collection, Object[], byte[], ByteBuffer, String, Number, Boolean, null) and
 * Jackson trees; anything else is an {@link IllegalArgumentException}.
 */
public final class MsgPackWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    private MsgPackWriter() {
    }

    /**
     * Encodes one value as notepack.io 3 would.
     *
     * @param value a plain Java value or Jackson tree, as listed in the class comment
     * @return the MessagePack bytes
     * @throws IllegalArgumentException if the value, or anything inside it, is of a type not listed
     */
    public static byte[] write(Object value) {
        MsgPackWriter w = new MsgPackWriter();
        w.value(value);
        return w.out.toByteArray();
    }

    private void value(Object v) {
        if (v == null) {
            out.write(0xc0);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Boolean b) {
            out.write(b ? 0xc3 : 0xc2);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                // JavaScript has one number type: whole doubles (and -0) travel as integers, as notepack writes them.
                integer((long) d);
            } else {
                out.write(0xcb);
                long bits = Double.doubleToLongBits(d);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (bits >>> (8 * i)));
                }
            }
        } else if (v instanceof byte[] b) {
            binary(b);
        } else if (v instanceof ByteBuffer bb) {
            ByteBuffer dup = bb.duplicate();
            byte[] b = new byte[dup.remaining()];
            dup.get(b);
            binary(b);
        } else if (v instanceof Map<?, ?> m) {
            int present = 0;
            for (Object o : m.values()) {
                present += o == null ? 0 : 1;
            }
            header(present, 0x80, 0xde, 0xdf);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() != null) {
                    string(String.valueOf(e.getKey()));
                    value(e.getValue());
                }
            }
        } else if (v instanceof Collection<?> c) {
            header(c.size(), 0x90, 0xdc, 0xdd);
            for (Object o : c) {
                value(o);
            }
        } else if (v instanceof Object[] a) {
            header(a.length, 0x90, 0xdc, 0xdd);
            for (Object o : a) {
                value(o);
            }
        } else if (v instanceof JsonNode n) {
            node(n);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as MessagePack; "
                    + "convert it to a tree first");
        }
    }

    private void node(JsonNode n) {
        switch (n.getNodeType()) {
            case NULL, MISSING -> out.write(0xc0);
            case BOOLEAN -> out.write(n.booleanValue() ? 0xc3 : 0xc2);
            case STRING -> string(n.textValue());
            case NUMBER -> {
                if (n.canConvertToExactIntegral() && n.canConvertToLong()) {
                    integer(n.longValue());
                } else {
                    value(n.doubleValue());
                }
            }
            case BINARY -> {
                try {
                    binary(n.binaryValue());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            case ARRAY -> {
                header(n.size(), 0x90, 0xdc, 0xdd);
                for (JsonNode c : n) {
                    node(c);
                }
            }
            case OBJECT -> {
                header(n.size(), 0x80, 0xde, 0xdf);
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    string(e.getKey());
                    node(e.getValue());
                }
            }
            case POJO -> value(((com.fasterxml.jackson.databind.node.POJONode) n).getPojo());
        }
    }

    private void integer(long v) {
        if (v >= 0) {
            if (v < 0x80) {
                out.write((int) v);
            } else if (v < 0x100) {
                out.write(0xcc);
                out.write((int) v);
            } else if (v < 0x10000) {
                out.write(0xcd);
                be(v, 2);
            } else if (v < 0x100000000L) {
                out.write(0xce);
                be(v, 4);
            } else {
                out.write(0xcf);
                be(v, 8);
            }
        } else if (v >= -0x20) {
            out.write((int) (v & 0xff));
        } else if (v >= -0x80) {
            out.write(0xd0);
            be(v, 1);
        } else if (v >= -0x8000) {
            out.write(0xd1);
            be(v, 2);
        } else if (v >= -0x80000000L) {
            out.write(0xd2);
            be(v, 4);
        } else {
            out.write(0xd3);
            be(v, 8);
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        if (n < 32) {
            out.write(0xa0 | n);
        } else if (n < 0x100) {
            out.write(0xd9);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0xda);
            be(n, 2);
        } else {
            out.write(0xdb);
            be(n, 4);
        }
        out.writeBytes(b);
    }

    private void binary(byte[] b) {
        int n = b.length;
        if (n < 0x100) {
            out.write(0xc4);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0xc5);
            be(n, 2);
        } else {
            out.write(0xc6);
            be(n, 4);
        }
        out.writeBytes(b);
    }

    private void header(int n, int fix, int x16, int x32) {
        if (n < 16) {
            out.write(fix | n);
        } else if (n < 0x10000) {
            out.write(x16);
            be(n, 2);
        } else {
            out.write(x32);
            be(n, 4);
        }
    }

    private void be(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
