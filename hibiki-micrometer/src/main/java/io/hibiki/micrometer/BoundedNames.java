package io.hibiki.micrometer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns names a client controls (event names, dynamic namespaces) into tag values from a bounded set: the first
 * {@code max} distinct names keep their own (when allowed), everything else is {@link #OTHER}. What it remembers is
 * bounded too: a flood of fresh names costs a lookup each and no memory.
 */
final class BoundedNames {

    static final String OTHER = "_other";
    private static final int MAX_CHARS = 64;

    private final int max;
    /** Only these may have their own tag, or null for any. */
    private final Set<String> allowed;
    private final Map<String, String> kept = new ConcurrentHashMap<>();
    private final AtomicInteger slots = new AtomicInteger();

    BoundedNames(int max, Set<String> allowed) {
        this.max = max;
        this.allowed = allowed;
    }

    String tag(String name) {
        String tag = kept.get(name);
        if (tag != null) {
            return tag;
        }
        if (name.length() > MAX_CHARS || (allowed != null && !allowed.contains(name)) || slots.get() >= max) {
            return OTHER;
        }
        // A mapping function that answers null stores nothing: names past the bound are not remembered.
        tag = kept.computeIfAbsent(name, n -> slots.incrementAndGet() <= max ? n : null);
        return tag != null ? tag : OTHER;
    }
}
