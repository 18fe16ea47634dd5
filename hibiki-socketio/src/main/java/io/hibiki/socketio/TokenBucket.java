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

    /**
     * Creates a full bucket.
     *
     * @param perSecond tokens added per second; must be positive (fractions allowed, e.g. 0.5 for one every 2 s)
     * @param burst     the most tokens the bucket holds, and so the most taken at once; at least 1
     * @throws IllegalArgumentException when {@code perSecond} is not positive or {@code burst} is below 1
     */
    public TokenBucket(double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1");
        }
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /**
     * Takes {@code n} tokens if there are that many (a byte budget, say); takes none otherwise.
     *
     * @param n how many tokens to take; more than {@code burst} never succeeds
     * @return whether the tokens were taken
     */
    public synchronized boolean tryTake(double n) {
        refill();
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /**
     * Takes one token if there is one.
     *
     * @return whether a token was taken
     */
    public boolean tryTake() {
        return tryTake(1);
    }

    /**
     * Nanoseconds until a token will be there (0 when one is there now).
     *
     * @return the wait in nanoseconds, for scheduling a retry; another taker may still get the token first
     */
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
