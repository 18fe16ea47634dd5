package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acknowledgements in both directions, with and without timeouts, to one socket and to a room. */
class AckIT {

    private static final Duration SHORT = Duration.ofMillis(400);

    @Test
    void clientAcksAreAnsweredByTheServer() {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> socket.on("sum", (args, ack) -> {
                assertTrue(ack.requested());
                ack.send(Map.of("sum", args.get(0).asInt() + args.get(1).asInt()));
                ack.send("only the first answer counts");
            }));
            Puppet p = fx.puppet(doArg(emitCmd("sum", true, 2, 40)));
            JsonNode ack = p.awaitAck(0, "sum");
            assertTrue(ack.get("err").isNull(), ack.toString());
            assertEquals(42, ack.get("args").get(0).get("sum").asInt());
        }
    }

    @Test
    void serverEmitWithAckGetsTheClientAnswer() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet();
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            Args answer = socket.emitWithAck("question", "life", Map.of("n", 42)).get(10, TimeUnit.SECONDS);
            assertEquals("life", answer.getString(0));
            assertEquals(42, answer.get(1).get("n").asInt());
            Args timed = socket.timeout(Duration.ofSeconds(5)).emitWithAck("again", 7).get(10, TimeUnit.SECONDS);
            assertEquals(7, timed.get(0).asInt());
        }
    }

    @Test
    void anAckMayCarryNull() {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> socket.on("lookup", (args, ack) -> ack.send((Object) null)));
            Puppet p = fx.puppet(doArg(emitCmd("lookup", true, "nobody")));
            JsonNode ack = p.awaitAck(0, "lookup");
            assertTrue(ack.get("err").isNull(), ack.toString());
            assertEquals(1, ack.get("args").size(), ack.toString());
            assertTrue(ack.get("args").get(0).isNull(), "the client got null: " + ack);
        }
    }

    @Test
    void anEmitWithATimeoutFailsInTimeEvenWhenTheClientLeavesFirst() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--ack=silent");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            // Long enough that the client is gone well before it ends.
            CompletableFuture<Args> answer = socket.timeout(Duration.ofSeconds(3)).emitWithAck("question", 1);
            p.script().await(ev -> "recv".equals(ev.path("event").asText()), SioFixture.WAIT);
            Puppet.tell(socket, Map.of("op", "disconnect"));
            p.awaitEvent("disconnect", 0, 0);
            ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS),
                    "the emit must end with its timeout, not wait for ever");
            assertInstanceOf(AckTimeoutException.class, e.getCause());
        }
    }

    @Test
    void serverEmitWithAckTimesOutWhenTheClientNeverAnswers() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--ack=silent");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> socket.timeout(SHORT).emitWithAck("question", 1).get(10, TimeUnit.SECONDS));
            assertInstanceOf(AckTimeoutException.class, e.getCause());
            assertTrue(System.nanoTime() - start >= SHORT.toNanos() * 9 / 10, "not before the timeout");
            JsonNode received = p.script().await(ev -> "recv".equals(ev.path("event").asText()), SioFixture.WAIT);
            assertTrue(received.get("ack").asBoolean(), "the client was asked for an ack: " + received);
        }
    }

    @Test
    void roomEmitWithAckCollectsOneAnswerPerClient() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--clients=3");
            for (int i = 0; i < 3; i++) {
                fx.io.sockets().get(p.awaitConnect(i)).join(i < 2 ? "r" : "elsewhere");
            }
            List<Object> answers = fx.io.to("r").timeout(Duration.ofSeconds(5)).emitWithAck("count", 5)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(List.of(5, 5), answers.stream().map(a -> ((JsonNode) a).asInt()).toList());
            List<Object> none = fx.io.to("nobody").timeout(SHORT).emitWithAck("count", 1).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), none);
            fx.io.emit("end");
            p.awaitReceived(2, "end", 1);
            assertTrue(p.received(2, "count").isEmpty());
        }
    }

    @Test
    void roomEmitWithAckTimesOutWithThePartialAnswers() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet answering = fx.puppet("--clients=2");
            Puppet silent = fx.puppet("--ack=silent");
            fx.io.sockets().get(answering.awaitConnect(0)).join("r");
            fx.io.sockets().get(answering.awaitConnect(1)).join("r");
            fx.io.sockets().get(silent.awaitConnect(0)).join("r");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> fx.io.to("r").timeout(SHORT).emitWithAck("vote", "yes").get(10, TimeUnit.SECONDS));
            AckTimeoutException timeout = assertInstanceOf(AckTimeoutException.class, e.getCause());
            assertEquals(List.of("yes", "yes"),
                    timeout.partialResponses().stream().map(a -> ((JsonNode) a).asText()).toList());
            assertEquals(1, silent.awaitReceived(0, "vote", 1).size(), "the silent client got the event");
        }
    }
}
