package io.hibiki.socketio.adapter.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How nodes of a heartbeat cluster keep track of each other, with Node's defaults: a node that has published
 * nothing for {@code interval} sends a heartbeat; a peer not heard from for {@code timeout} is taken for gone; a
 * request to the other nodes ({@code fetchSockets}, {@code serverSideEmit} with acks) waits {@code requestsTimeout}
 * at most.
 *
 * @param interval        at most this long between two messages of a node (Node: 5 s)
 * @param timeout         a peer silent for longer is no longer counted (Node: 10 s); more than {@code interval}
 * @param requestsTimeout how long a request waits for every node's answer (Node: 5 s)
 */
public record HeartbeatSettings(Duration interval, Duration timeout, Duration requestsTimeout) {

    /** Node's defaults: 5 s, 10 s, 5 s. */
    public static final HeartbeatSettings DEFAULTS =
            new HeartbeatSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5));

    /**
     * Validates the settings.
     *
     * @param interval        positive
     * @param timeout         longer than {@code interval}
     * @param requestsTimeout positive
     */
    public HeartbeatSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(requestsTimeout, "requestsTimeout");
        if (interval.isNegative() || interval.isZero() || requestsTimeout.isNegative() || requestsTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeat interval and requests timeout must be positive");
        }
        if (timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("heartbeat timeout " + timeout + " must exceed the interval " + interval);
        }
    }
}
