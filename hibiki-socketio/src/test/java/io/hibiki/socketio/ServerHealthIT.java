package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The health check: a listening server is up; an event loop stuck in a blocking call is reported (and the server
 * is up again once it is free); the in-memory adapter is always linked.
 */
class ServerHealthIT {

    @Test
    void aStuckEventLoopIsReportedAndTheServerRecovers() throws Exception {
        BlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(sockets::add);
            assertEquals(new ServerHealth(true, true), fx.io.health(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS));
            fx.puppet();
            Socket socket = sockets.poll(10, TimeUnit.SECONDS);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch stuck = new CountDownLatch(1);
            // The fault: a handler that blocks its connection's event loop until the test lets it go.
            socket.executor().execute(() -> {
                stuck.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(stuck.await(5, TimeUnit.SECONDS));
            ServerHealth blocked = fx.io.health(Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);
            assertFalse(blocked.eventLoopsResponsive());
            assertTrue(blocked.clusterLinked());
            assertFalse(blocked.up());
            release.countDown();
            SioFixture.eventually(() -> assertTrue(fx.io.health(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS).up()),
                    "the loop did not come back");
        }
    }
}
