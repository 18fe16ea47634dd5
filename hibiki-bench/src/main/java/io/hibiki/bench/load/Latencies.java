package io.hibiki.bench.load;

import java.util.Arrays;

/** Latency samples in nanoseconds, bounded in count; percentiles by sorting once at the end. Thread-confined. */
public final class Latencies {

    private long[] samples;
    private int n;
    private long seen;

    private final int capacityLimit;

    public Latencies(int capacity) {
        this.samples = new long[Math.min(capacity, 1 << 16)];
        this.capacityLimit = capacity;
    }

    public void add(long nanos) {
        seen++;
        if (n == samples.length) {
            if (n >= capacityLimit) {
                // Reservoir sampling keeps an unbiased sample once full.
                long slot = java.util.concurrent.ThreadLocalRandom.current().nextLong(seen);
                if (slot < n) {
                    samples[(int) slot] = nanos;
                }
                return;
            }
            samples = Arrays.copyOf(samples, Math.min(capacityLimit, n * 2));
        }
        samples[n++] = nanos;
    }

    public long count() {
        return seen;
    }

    /** Percentile in milliseconds (p in 0..100). */
    public double percentileMillis(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int idx = (int) Math.min(n - 1, Math.ceil(p / 100.0 * n) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }
}
