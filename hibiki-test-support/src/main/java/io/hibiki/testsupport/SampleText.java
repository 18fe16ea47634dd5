package io.hibiki.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How randomized tests print the input that failed: strings quoted with non-ASCII escaped, byte arrays listed,
 * collections and maps element by element, so the failure message reproduces the input unambiguously.
 */
public final class SampleText {

    private SampleText() {
    }

    public static String describe(Object o) {
        return describe(o, x -> null);
    }

    /** As {@link #describe(Object)}; {@code special} renders types of the caller's own (null: not one of them). */
    public static String describe(Object o, Function<Object, String> special) {
        String own = special.apply(o);
        if (own != null) {
            return own;
        }
        if (o instanceof String s) {
            return quote(s);
        }
        if (o instanceof byte[] b) {
            return Arrays.toString(b);
        }
        if (o instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(e -> parts.add(describe(e, special)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add(describe(k, special) + "=" + describe(v, special)));
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(o);
    }

    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
