package io.hibiki.chat;

import io.hibiki.socketio.TokenBucket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rate limit per key (a user id, an address), with a bounded number of keys: the least recently used key's
 * bucket is forgotten first, so a flood of new keys cannot grow it. Forgetting a key only ever gives it a full
 * bucket again, which the size keeps rare. One instance's view: each instance of a cluster limits on its own.
 */
public final class KeyedRateLimit {

    private final double perSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets;

    public KeyedRateLimit(double perSecond, int burst, int maxKeys) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** A limit of {@code perHour} per key, all of it usable at once. */
    public static KeyedRateLimit hourly(int perHour, int maxKeys) {
        return new KeyedRateLimit(perHour / 3600.0, perHour, maxKeys);
    }

    public boolean tryTake(String key) {
        return tryTake(key, 1);
    }

    /** Whether one more would be taken now, without taking it (for limits that count only failures). */
    public synchronized boolean hasRoom(String key) {
        TokenBucket b = buckets.get(key);
        return b == null || b.nanosUntilNext() == 0;
    }

    /** Takes {@code amount} from the key's budget (bytes, say), or nothing when it has less left. */
    public synchronized boolean tryTake(String key, double amount) {
        return buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst)).tryTake(amount);
    }
}
