package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session's polling requests are handled in the order they were read, whichever loop read them (issue 14,
 * point 3): a GET read on another loop and handed on must not be overtaken by a POST the owner reads next.
 */
class SessionRequestOrderTest {

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void tearDown() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestReadOnAnotherLoopKeepsItsPlace() throws Exception {
        EventLoop owner = group.next();
        EventLoop other = group.next();
        assertNotSame(owner, other);
        for (int round = 0; round < 50; round++) {
            EngineSession session = new EngineSession(null, "s" + round, null, owner);
            List<String> handled = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(2);
            owner.execute(() -> {
                // The owner is busy when the other loop reads the GET and hands it on; then the owner reads a POST.
                CountDownLatch getRead = new CountDownLatch(1);
                other.execute(() -> {
                    session.executeInOrder(() -> {
                        handled.add("GET");
                        done.countDown();
                    });
                    getRead.countDown();
                });
                try {
                    assertTrue(getRead.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                session.executeInOrder(() -> {
                    handled.add("POST");
                    done.countDown();
                });
            });
            assertTrue(done.await(5, TimeUnit.SECONDS), "both handled");
            assertEquals(List.of("GET", "POST"), handled, "round " + round);
        }
    }

    @Test
    void workThatReadsAnotherRequestDoesNotRunItInsideItself() throws Exception {
        EventLoop owner = group.next();
        EngineSession session = new EngineSession(null, "nested", null, owner);
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        owner.execute(() -> session.executeInOrder(() -> {
            session.executeInOrder(() -> {
                handled.add("second");
                done.countDown();
            });
            handled.add("first");
        }));
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), handled);
    }
}
