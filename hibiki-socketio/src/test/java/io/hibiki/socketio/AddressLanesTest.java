package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One address's tasks cannot fill the shared executor's queue ahead of another address's. */
class AddressLanesTest {

    private static SocketAddress host(int last) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}), 40000 + last);
    }

    /** A pool whose queue the test runs by hand, one task at a time, in order. */
    private static final class ManualPool implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            queue.add(command);
        }

        void runAll() {
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    void anotherAddressWaitsForAtMostTheFloodersLaneNotItsWholeBacklog() throws Exception {
        ManualPool pool = new ManualPool();
        AddressLanes lanes = new AddressLanes(pool, 2);
        List<String> ran = new ArrayList<>();
        // Port numbers differ per connection; the address is what counts.
        for (int i = 0; i < 100; i++) {
            int n = i;
            lanes.laneFor(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 3}), 50000 + i))
                    .execute(() -> ran.add("flood-" + n));
        }
        lanes.laneFor(host(10)).execute(() -> ran.add("user"));
        assertEquals(3, pool.queue.size(), "two of the flood's tasks and the user's; the rest wait in the lane");
        pool.runAll();
        assertEquals(101, ran.size());
        assertTrue(ran.indexOf("user") <= 2, "the user's task ran third at the latest: " + ran.subList(0, 5));
        for (int i = 0; i < 100; i++) {
            assertEquals("flood-" + i, ran.stream().filter(s -> s.startsWith("flood")).toList().get(i),
                    "the lane hands on its waiting tasks in order");
        }
        assertEquals(0, lanes.size(), "idle addresses are forgotten");
    }

    @Test
    void anAddressNeverRunsMoreThanItsTurnsAtOnceOnARealPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            AddressLanes lanes = new AddressLanes(pool, 2);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(200);
            for (int i = 0; i < 200; i++) {
                lanes.laneFor(host(3)).execute(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    done.countDown();
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertTrue(most.get() <= 2, "at most two at once, saw " + most.get());
            assertEquals(2, most.get(), "and the two it may have were used");
        } finally {
            pool.shutdownNow();
        }
    }
}
