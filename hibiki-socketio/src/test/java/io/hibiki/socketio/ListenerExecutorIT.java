package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listeners on an application executor: blocking handlers do not hold up other clients, order is kept. */
class ListenerExecutorIT {

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "app-listener-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aBlockedListenerDoesNotStopOtherClientsFromBeingAnswered() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch fastAnswered = new CountDownLatch(1);
        try (SioFixture fx = SioFixture.start(b -> b.listenerExecutor(pool))) {
            fx.io.onConnection(socket -> {
                socket.on("slow", (args, ack) -> {
                    slowStarted.countDown();
                    // Blocks (the behaviour under test) until another client was served, or gives up.
                    boolean servedMeanwhile = fastAnswered.await(5, TimeUnit.SECONDS);
                    ack.send(Map.of("servedMeanwhile", servedMeanwhile, "thread", Thread.currentThread().getName()));
                });
                socket.on("fast", (args, ack) -> {
                    ack.send(Thread.currentThread().getName());
                    fastAnswered.countDown();
                });
            });
            Puppet blocker = fx.puppet(doArg(emitCmd("slow", true)));
            assertTrue(slowStarted.await(10, TimeUnit.SECONDS), blocker.diagnostics());
            Puppet other = fx.puppet(doArg(emitCmd("fast", true)));
            assertTrue(other.awaitAck(0, "fast").get("args").get(0).asText().startsWith("app-listener-"));
            JsonNode slow = blocker.awaitAck(0, "slow").get("args").get(0);
            assertTrue(slow.get("servedMeanwhile").asBoolean(), slow.toString());
            assertTrue(slow.get("thread").asText().startsWith("app-listener-"));
        }
    }

    @Test
    void eventsOfOneConnectionStayInOrder() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        try (SioFixture fx = SioFixture.start(b -> b.listenerExecutor(pool))) {
            fx.io.onConnection(socket -> {
                socket.on("seq", (args, ack) -> order.add(args.get(0).asInt()));
                socket.on("done", (args, ack) -> ack.send(order.size()));
            });
            List<Map<String, Object>> cmds = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                cmds.add(emitCmd("seq", false, i));
            }
            cmds.add(emitCmd("done", true));
            Puppet p = fx.puppet(doArg(cmds.toArray(Map[]::new)));
            assertEquals(40, p.awaitAck(0, "done").get("args").get(0).asInt());
            assertEquals(IntStream.range(0, 40).boxed().toList(), order);
        }
    }

    @Test
    void serverCloseRunsEachDisconnectListenerOnce() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.listenerExecutor(pool))) {
            fx.io.onConnection(socket -> {
                socket.onDisconnecting(reason -> seen.add("disconnecting:" + reason.text()));
                socket.onDisconnect(reason -> seen.add("disconnect:" + reason.text()));
            });
            Puppet p = fx.puppet("--transports=websocket");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            socket.disconnect(true);
            assertEquals("io server disconnect", p.awaitDisconnect(0));
            assertEquals("disconnecting:server namespace disconnect", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("disconnect:server namespace disconnect", seen.poll(5, TimeUnit.SECONDS));
            SioFixture.eventually(() -> assertTrue(fx.io.engine().clientsCount() == 0), p.diagnostics());
            assertNull(seen.poll(200, TimeUnit.MILLISECONDS), "no second round of listeners");
        }
    }
}
