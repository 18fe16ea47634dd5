package io.hibiki.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of the handshake strings that many of a server's sessions hold alike (a {@code Host} header, a
 * browser's {@code User-Agent}, a WebSocket-only request URI), so tens of thousands of idle sessions do not each
 * keep their own. The table has a fixed number of entries: once it is full, a new string is simply not shared, so a
 * client sending odd values can cost the sharing but never grow the table.
 */
final class SharedStrings {

    static final int MAX_ENTRIES = 512;
    static final int MAX_LENGTH = 256;

    private final ConcurrentHashMap<String, String> table = new ConcurrentHashMap<>();

    /** The shared copy of {@code value}, or {@code value} itself when it is not (or cannot be) shared. */
    String share(String value) {
        String known = table.get(value);
        if (known != null) {
            return known;
        }
        // The size check races with other loops' inserts: it may overshoot by a few entries, never grow unbounded.
        if (value.length() > MAX_LENGTH || table.size() >= MAX_ENTRIES) {
            return value;
        }
        known = table.putIfAbsent(value, value);
        return known != null ? known : value;
    }

    /** How many strings are shared. */
    int size() {
        return table.size();
    }
}
