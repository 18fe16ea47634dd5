package io.hibiki.socketio;

/**
 * A rate limit: {@code burst} events at once, refilled at {@code perSecond}. Thread-safe. Sockets use one each when
 * {@code eventRateLimit} is set; applications can use it for their own limits.
 */
public final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1");
        }
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes {@code n} tokens if there are that many (a byte budget, say); takes none otherwise. */
    public synchronized boolean tryTake(double n) {
        refill();
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Takes one token if there is one. */
    public boolean tryTake() {
        return tryTake(1);
    }

    /** Nanoseconds until a token will be there (0 when one is there now). */
    public synchronized long nanosUntilNext() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    /** Adds what the time since the last look has earned, up to the burst. */
    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }
}
