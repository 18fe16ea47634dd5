package io.hibiki.socketio.msgpack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Writes MessagePack the way Node's notepack.io 3 does, so Node peers read our messages as their own. The bytes
 * are msgpack-core's (which picks the same smallest forms notepack does); what this class adds is notepack's
 * mapping of values, which JavaScript decides: whole
 * numbers in the smallest integer form (a whole double too, as JavaScript has one number type), other numbers as
 * float64, binary as bin 8/16/32, strings as fixstr/str 8/16/32, arrays and maps as fix/16/32, map keys as strings.
 * A Java {@code null} map value is JavaScript's {@code undefined}: the entry is left out, as notepack leaves it
 * (a Jackson {@code NullNode} is JSON null and is written as nil; {@code null} in a list is nil).
 * Accepts plain Java values (Map, Collection, Object[], byte[], ByteBuffer, String, Number, Boolean, null) and
 * Jackson trees; anything else is an {@link IllegalArgumentException}.
 */
public final class MsgPackWriter {

    /** notepack writes 32–255-byte strings as str 8; msgpack-core does too with this (its default) setting. */
    private static final MessagePack.PackerConfig CONFIG = new MessagePack.PackerConfig().withStr8FormatSupport(true);

    private final MessageBufferPacker out = CONFIG.newBufferPacker();
    /** What other values become before they are written (a Jackson tree, say), or null to refuse them. */
    private final java.util.function.Function<Object, ?> convert;
    /** notepack 2 writes undefined map values as {@code d4 00 00}; notepack 3 leaves the entry out. */
    private final boolean undefinedEntries;

    private MsgPackWriter(java.util.function.Function<Object, ?> convert, boolean undefinedEntries) {
        this.convert = convert;
        this.undefinedEntries = undefinedEntries;
    }

    /**
     * Encodes one value as notepack.io 3 would.
     *
     * @param value a plain Java value or Jackson tree, as listed in the class comment
     * @return the MessagePack bytes
     * @throws IllegalArgumentException if the value, or anything inside it, is of a type not listed
     */
    public static byte[] write(Object value) {
        return write(value, null);
    }

    /**
     * Encodes one value as notepack.io 3 would, turning values of other types (an application's objects) into
     * something listed in the class comment first.
     *
     * @param value   the value
     * @param convert turns any other value into a listed one, e.g. {@code mapper::valueToTree}; null refuses them
     * @return the MessagePack bytes
     * @throws IllegalArgumentException if a value is of a type not listed and there is no conversion
     */
    public static byte[] write(Object value, java.util.function.Function<Object, ?> convert) {
        return write(new MsgPackWriter(convert, false), value);
    }

    /**
     * Encodes one value as notepack.io 2.2 (socket.io-msgpack-parser 3's) would: as notepack 3, except that a Java
     * {@code null} map value, JavaScript's undefined, is kept and written as {@code d4 00 00}.
     *
     * @param value   the value
     * @param convert turns any other value into a listed one; null refuses them
     * @return the MessagePack bytes
     * @throws IllegalArgumentException if a value is of a type not listed and there is no conversion
     */
    public static byte[] writeNotepack2(Object value, java.util.function.Function<Object, ?> convert) {
        return write(new MsgPackWriter(convert, true), value);
    }

    private static byte[] write(MsgPackWriter w, Object value) {
        try {
            w.value(value);
        } catch (IOException e) {
            // A buffer packer writes to memory; only a broken JVM gets here.
            throw new UncheckedIOException(e);
        }
        return w.out.toByteArray();
    }

    private void value(Object v) throws IOException {
        if (v == null) {
            out.packNil();
        } else if (v instanceof String s) {
            out.packString(s);
        } else if (v instanceof Boolean b) {
            out.packBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            out.packLong(((Number) v).longValue());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                // JavaScript has one number type: whole doubles (and -0) travel as integers, as notepack writes them.
                out.packLong((long) d);
            } else {
                out.packDouble(d);
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
                present += o == null && !undefinedEntries ? 0 : 1;
            }
            out.packMapHeader(present);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() != null) {
                    out.packString(String.valueOf(e.getKey()));
                    value(e.getValue());
                } else if (undefinedEntries) {
                    out.packString(String.valueOf(e.getKey()));
                    out.packExtensionTypeHeader((byte) 0, 1);
                    out.writePayload(new byte[] {0});
                }
            }
        } else if (v instanceof Collection<?> c) {
            out.packArrayHeader(c.size());
            for (Object o : c) {
                value(o);
            }
        } else if (v instanceof Object[] a) {
            out.packArrayHeader(a.length);
            for (Object o : a) {
                value(o);
            }
        } else if (v instanceof JsonNode n) {
            node(n);
        } else if (convert != null) {
            Object converted = convert.apply(v);
            if (converted == null || converted == v || !(converted instanceof JsonNode)) {
                throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as MessagePack");
            }
            node((JsonNode) converted);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as MessagePack; "
                    + "convert it to a tree first");
        }
    }

    private void node(JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case NULL, MISSING -> out.packNil();
            case BOOLEAN -> out.packBoolean(n.booleanValue());
            case STRING -> out.packString(n.textValue());
            case NUMBER -> {
                if (n.canConvertToExactIntegral() && n.canConvertToLong()) {
                    out.packLong(n.longValue());
                } else {
                    value(n.doubleValue());
                }
            }
            case BINARY -> binary(n.binaryValue());
            case ARRAY -> {
                out.packArrayHeader(n.size());
                for (JsonNode c : n) {
                    node(c);
                }
            }
            case OBJECT -> {
                out.packMapHeader(n.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.packString(e.getKey());
                    node(e.getValue());
                }
            }
            case POJO -> value(((com.fasterxml.jackson.databind.node.POJONode) n).getPojo());
        }
    }

    private void binary(byte[] b) throws IOException {
        out.packBinaryHeader(b.length);
        out.writePayload(b);
    }
}
