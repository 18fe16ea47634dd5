package io.hibiki.adminui;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sessions of signed-in UIs, so a UI that reconnects need not send the password again (Node's
 * {@code InMemoryStore}), bounded in number and in age: the oldest session goes first when the store is full.
 */
final class AdminSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int max;
    private final long ttlNanos;
    /** Session id → when it expires (nanoTime), oldest first. */
    private final LinkedHashMap<String, Long> sessions = new LinkedHashMap<>();

    AdminSessions(int max, Duration ttl) {
        this.max = max;
        this.ttlNanos = ttl.toNanos();
    }

    /** A new session's id: 8 random bytes in hex, as Node's. */
    synchronized String create() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        sessions.put(id, System.nanoTime() + ttlNanos);
        while (sessions.size() > max) {
            Iterator<Map.Entry<String, Long>> oldest = sessions.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return id;
    }

    synchronized boolean valid(String id) {
        if (id == null) {
            return false;
        }
        Long expires = sessions.get(id);
        if (expires == null) {
            return false;
        }
        if (System.nanoTime() - expires > 0) {
            sessions.remove(id);
            return false;
        }
        return true;
    }
}
