package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.engine.EngineSocket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Volatile emits are dropped while the transport cannot take them. A polling client is writable exactly while
 * its GET is pending: the first packet answers that GET, after which the session is not writable until the
 * client polls again. Running a burst on the session's own event loop makes that deterministic.
 */
class VolatileIT {

    private static final int BURST = 10;

    private static List<Integer> numbers(List<JsonNode> received) {
        return received.stream().map(args -> args.get(0).asInt()).toList();
    }

    /** Runs {@code burst} on the connection's loop at a moment its long-poll is pending. */
    private static void whilePollPending(EngineSocket conn, Runnable burst, Puppet p) {
        Callable<Boolean> attempt = () -> {
            if (!conn.isWritable()) {
                return false;
            }
            burst.run();
            return true;
        };
        SioFixture.eventually(() -> assertEquals(true, conn.executor().submit(attempt).get(5, TimeUnit.SECONDS)),
                p.diagnostics());
    }

    @Test
    void broadcastVolatileIsDroppedWhileAPollingClientIsBetweenPolls() {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--transports=polling");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            whilePollPending(socket.conn(), () -> {
                for (int i = 0; i < BURST; i++) {
                    fx.io.volatileEmit().emit("v", i);
                }
                for (int i = 0; i < BURST; i++) {
                    fx.io.emit("n", i);
                }
            }, p);
            List<Integer> reliable = numbers(p.awaitReceived(0, "n", BURST));
            assertEquals(IntStream.range(0, BURST).boxed().toList(), reliable);
            // Only the packet that answered the pending poll went out; the other volatile ones found no poll.
            assertEquals(List.of(0), numbers(p.received(0, "v")));
        }
    }

    @Test
    void socketVolatileIsDroppedWhileAPollingClientIsBetweenPolls() {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--transports=polling");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            whilePollPending(socket.conn(), () -> {
                for (int i = 0; i < BURST; i++) {
                    socket.volatileEmit().emit("v", i);
                    socket.emit("n", i);
                }
            }, p);
            assertEquals(IntStream.range(0, BURST).boxed().toList(), numbers(p.awaitReceived(0, "n", BURST)));
            assertEquals(List.of(0), numbers(p.received(0, "v")));
        }
    }

    @Test
    void volatileReachesAWritableWebSocket() {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--transports=websocket");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            for (int i = 0; i < BURST; i++) {
                fx.io.volatileEmit().emit("v", i);
                socket.volatileEmit().emit("sv", i);
            }
            fx.io.emit("end");
            p.awaitReceived(0, "end", 1);
            assertEquals(IntStream.range(0, BURST).boxed().toList(), numbers(p.received(0, "v")));
            assertEquals(IntStream.range(0, BURST).boxed().toList(), numbers(p.received(0, "sv")));
        }
    }
}
