package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery with the official client. Client 0 is the one that drops; client 1 (same process)
 * is the control channel that tells it to reconnect, so the gap is as long as the test wants, not a timer.
 */
class RecoveryIT {

    private record Event(Socket socket, String what) {
    }

    private static List<Integer> numbers(List<JsonNode> received) {
        return received.stream().map(args -> args.get(0).asInt()).toList();
    }

    @Test
    void droppedTransportRecoversIdRoomsDataAndMissedBroadcasts() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.connectionStateRecovery())) {
            fx.io.onConnection(socket -> {
                events.add(new Event(socket, "connection"));
                socket.onDisconnect(reason -> events.add(new Event(socket, "disconnect:" + reason.text())));
            });
            Puppet p = fx.puppet("--clients=2", "--transports=websocket");
            String id = p.awaitConnect(0);
            Socket control = fx.io.sockets().get(p.awaitConnect(1));
            Socket first = fx.io.sockets().get(id);
            assertFalse(first.recovered());
            first.join("r");
            first.data().put("user", "ann");
            fx.io.to("r").emit("m", 0);
            p.awaitReceived(0, "m", 1);   // the client now holds an offset to resume from

            Puppet.tell(first, Map.of("op", "drop"));
            Event gone = poll(events, e -> e.socket() == first && e.what().startsWith("disconnect"));
            assertEquals("disconnect:transport close", gone.what());
            assertFalse(fx.io.sockets().containsKey(id));

            fx.io.to("r").emit("m", 1);
            fx.io.to("elsewhere").emit("m", 99);           // not for it: must not be replayed
            fx.io.except("r").emit("m", 98);                // excluded: must not be replayed
            fx.io.to("r").emit("m", 2, Map.of("nested", true));
            fx.io.emit("m", 3);                             // to everyone: replayed
            Puppet.command(control, Map.of("op", "connect", "target", 0));

            JsonNode again = p.awaitEvent("connect", 0, 1);
            assertEquals(id, again.get("id").asText());
            assertTrue(again.get("recovered").asBoolean(), again.toString());
            Socket recovered = poll(events, e -> e.what().equals("connection") && e.socket() != first).socket();
            assertEquals(id, recovered.id());
            assertTrue(recovered.recovered());
            assertEquals(Set.of(id, "r"), recovered.rooms());
            assertEquals("ann", recovered.data().get("user"));

            assertEquals(List.of(0, 1, 2, 3), numbers(p.awaitReceived(0, "m", 4)));
            fx.io.to("r").emit("m", 4);
            assertEquals(List.of(0, 1, 2, 3, 4), numbers(p.awaitReceived(0, "m", 5)));
            assertTrue(p.received(0, "m").get(2).get(1).get("nested").asBoolean());
        }
    }

    @Test
    void clientNamespaceDisconnectIsNotRecovered() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.connectionStateRecovery())) {
            Puppet p = fx.puppet("--clients=2", "--transports=websocket");
            String id = p.awaitConnect(0);
            Socket control = fx.io.sockets().get(p.awaitConnect(1));
            Socket first = fx.io.sockets().get(id);
            first.join("r");
            fx.io.to("r").emit("m", 0);
            p.awaitReceived(0, "m", 1);
            Puppet.tell(first, Map.of("op", "disconnect"));
            SioFixture.eventually(() -> assertFalse(fx.io.sockets().containsKey(id)), p.diagnostics());
            Puppet.command(control, Map.of("op", "connect", "target", 0));
            JsonNode again = p.awaitEvent("connect", 0, 1);
            assertNotEquals(id, again.get("id").asText());
            assertFalse(again.get("recovered").asBoolean());
            Socket fresh = fx.io.sockets().get(again.get("id").asText());
            assertFalse(fresh.recovered());
            assertEquals(Set.of(fresh.id()), fresh.rooms());
        }
    }

    private static Event poll(BlockingQueue<Event> events, java.util.function.Predicate<Event> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + SioFixture.WAIT.toNanos();
        Event e;
        while ((e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            if (p.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no matching server event");
    }
}
