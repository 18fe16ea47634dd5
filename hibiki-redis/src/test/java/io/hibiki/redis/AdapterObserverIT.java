package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.SocketIoServer;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.testsupport.PrivateRedis;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The adapter counters of the server's observer: what one node publishes another receives, a request the other
 * nodes leave unanswered counts as timed out, and publishes while Redis is away count as errors.
 */
class AdapterObserverIT {

    /** Counts the adapter calls. */
    static final class Counting implements ServerObserver {
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger timeouts = new AtomicInteger();

        @Override
        public void adapterPublished() {
            published.incrementAndGet();
        }

        @Override
        public void adapterReceived() {
            received.incrementAndGet();
        }

        @Override
        public void adapterError() {
            errors.incrementAndGet();
        }

        @Override
        public void adapterRequestTimedOut() {
            timeouts.incrementAndGet();
        }
    }

    private static SocketIoServer node(String url, String key, ServerObserver observer) {
        return SocketIoServer.builder().observer(observer).adapter(RedisAdapter.factory(RedisAdapterOptions.of(url)
                .withKey(key).withRequestsTimeout(Duration.ofMillis(500)))).build();
    }

    @Test
    void publishesReceiptsAndTimeoutsAreCounted() throws Exception {
        String key = "hibiki-observer-" + ClusterWire.randomId();
        Counting onA = new Counting();
        Counting onB = new Counting();
        try (SocketIoServer a = node("redis://127.0.0.1:6379", key, onA);
             SocketIoServer b = node("redis://127.0.0.1:6379", key, onB)) {
            // B listens to the request, and never answers.
            b.of("/").onServerSideEmit("question", args -> null);
            // Again at each look: B's subscriptions are confirmed asynchronously.
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                a.emit("news", "hello");
                assertTrue(onA.published.get() >= 1, "A published");
                assertTrue(onB.received.get() >= 1, "B received");
            });
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> a.of("/").adapter().serverCount().get(5, TimeUnit.SECONDS) == 2);
            ExecutionException timedOut = assertThrows(ExecutionException.class,
                    () -> a.serverSideEmitWithAck("question", "?").get(10, TimeUnit.SECONDS));
            assertTrue(timedOut.getCause() instanceof RedisRequestTimeoutException, timedOut.toString());
            assertEquals(1, onA.timeouts.get());
            assertEquals(0, onA.errors.get());
        }
    }

    @Test
    void publishesWhileRedisIsAwayAreErrors() throws Exception {
        Counting observer = new Counting();
        try (PrivateRedis redis = PrivateRedis.start();
             SocketIoServer a = node(redis.url(), "hibiki-observer", observer)) {
            a.emit("news", "before");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> observer.published.get() >= 1);
            redis.kill();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                a.emit("news", "while away");
                assertTrue(observer.errors.get() >= 1, "errors counted");
            });
        }
    }
}
