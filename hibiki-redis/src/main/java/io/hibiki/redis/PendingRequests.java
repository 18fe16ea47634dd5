package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * A node's requests to the rest of its cluster that wait for replies, by request id: replies are matched only
 * by that id. A request either collects a known number of replies (fetchSockets, serverSideEmit with ack) or
 * relays client counts and acks of a broadcast until its timeout.
 */
final class PendingRequests {

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hibiki-redis-timers");
        t.setDaemon(true);
        return t;
    });

    /** Told of each request that times out (the server's observer). */
    private final Runnable onTimeout;

    PendingRequests(Runnable onTimeout) {
        this.onTimeout = onTimeout;
    }

    /** One request of ours. */
    static final class Pending {
        final int type;
        final int expected;
        final IntConsumer clientCount;
        final Consumer<JsonNode> ack;
        private final List<Object> results = new ArrayList<>();
        private final CompletableFuture<List<Object>> done = new CompletableFuture<>();

        private Pending(int type, int expected, IntConsumer clientCount, Consumer<JsonNode> ack) {
            this.type = type;
            this.expected = expected;
            this.clientCount = clientCount;
            this.ack = ack;
        }

        /** One node's reply; completes the request with the last expected one. */
        synchronized void add(Object result) {
            results.add(result);
            if (results.size() >= expected) {
                done.complete(List.copyOf(results));
            }
        }

        synchronized List<Object> partial() {
            return List.copyOf(results);
        }
    }

    private final Map<String, Pending> byId = new ConcurrentHashMap<>();

    Pending get(Object requestId) {
        return requestId == null ? null : byId.get(String.valueOf(requestId));
    }

    boolean isOurs(Object requestId) {
        return get(requestId) != null;
    }

    /**
     * Registers a request expecting {@code expected} replies before {@code send} runs; the result completes with
     * them, or fails with {@link RedisRequestTimeoutException} (holding the partial replies, its message made from
     * their number) after the timeout.
     */
    CompletableFuture<List<Object>> collect(String requestId, int type, int expected, Duration timeout,
                                            IntFunction<String> timeoutMessage, Runnable send) {
        Pending pending = new Pending(type, expected, null, null);
        byId.put(requestId, pending);
        var timer = TIMERS.schedule(() -> {
            if (byId.remove(requestId) != null) {
                onTimeout.run();
                List<Object> partial = pending.partial();
                pending.done.completeExceptionally(new RedisRequestTimeoutException(
                        timeoutMessage.apply(partial.size()), partial));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<List<Object>> result = pending.done.whenComplete((r, e) -> {
            timer.cancel(false);
            byId.remove(requestId);
        });
        send.run();
        return result;
    }

    /** Registers an ack broadcast: client counts and acks are relayed until {@code keep} has passed. */
    void relay(String requestId, int type, IntConsumer clientCount, Consumer<JsonNode> ack, Duration keep) {
        byId.put(requestId, new Pending(type, Integer.MAX_VALUE, clientCount, ack));
        TIMERS.schedule(() -> byId.remove(requestId), keep.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fails every waiting request (the adapter is closing). */
    void failAll(String why) {
        for (Pending p : byId.values()) {
            p.done.completeExceptionally(new IllegalStateException(why));
        }
        byId.clear();
    }
}
