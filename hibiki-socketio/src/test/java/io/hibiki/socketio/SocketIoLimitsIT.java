package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.bin;
import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Socket.IO layer's limits: attachments per packet, namespaces per connection, rooms per socket, event rate. */
class SocketIoLimitsIT {

    private static final Duration WAIT = SioFixture.WAIT;
    private static final String PLACEHOLDER = "{\"_placeholder\":true,\"num\":%d}";

    private final ExecutorService listeners = Executors.newFixedThreadPool(2);
    private final BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();

    @AfterEach
    void stopListeners() {
        listeners.shutdownNow();
    }

    private static String binaryEcho(int attachments) {
        StringBuilder s = new StringBuilder("45" + attachments + "-1[\"echo\"");
        for (int i = 0; i < attachments; i++) {
            s.append(',').append(String.format(PLACEHOLDER, i));
        }
        return s.append(']').toString();
    }

    @Test
    void aPacketAnnouncingMoreAttachmentsThanAllowedClosesTheConnectionWithParseError() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.maxAttachments(2));
             RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            fx.io.onConnection(s -> {
                s.on("echo", (args, ack) -> ack.send(args.values().toArray()));
                s.onDisconnect(reasons::add);
            });
            ws.sendText("40");
            ws.awaitText("40{", WAIT);
            ws.sendText(binaryEcho(2));
            ws.send(RawWebSocket.BINARY, new byte[] {1});
            ws.send(RawWebSocket.BINARY, new byte[] {2});
            assertEquals("462-1[" + String.format(PLACEHOLDER, 0) + "," + String.format(PLACEHOLDER, 1) + "]",
                    ws.awaitText("462-1[", WAIT), "two attachments are within the limit");

            ws.sendText(binaryEcho(3));
            assertEquals(DisconnectReason.PARSE_ERROR, reasons.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            RawWebSocket.Frame last = ws.read(WAIT);
            while (last != null && last.opcode() == RawWebSocket.BINARY) {
                last = ws.read(WAIT);
            }
            assertTrue(last == RawWebSocket.Frame.END || last.opcode() == RawWebSocket.CLOSE, "closed: " + last);
            SioFixture.eventually(() -> assertEquals(0, fx.io.engine().clientsCount()), "session gone");
        }
    }

    @Test
    void theOfficialClientSendingTooManyAttachmentsIsDisconnected() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.maxAttachments(2))) {
            fx.io.onConnection(s -> s.onDisconnect(reasons::add));
            Puppet p = fx.puppet("--transports=websocket", doArg(emitCmd("upload", false, bin(1), bin(2), bin(3))));
            assertEquals("transport close", p.awaitDisconnect(0), p.diagnostics());
            assertEquals(DisconnectReason.PARSE_ERROR, reasons.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void theOfficialClientJoiningTooManyNamespacesGetsConnectError() {
        try (SioFixture fx = SioFixture.start(b -> b.maxNamespacesPerClient(3))) {
            fx.io.of(Pattern.compile("/n\\d"));
            NodeScript client = fx.script("sio-namespaces.mjs", "--namespaces=/,/n1,/n2,/n3,/n4");
            JsonNode done = client.await("done", WAIT);
            assertEquals(3, done.get("connected").asInt(), client.diagnostics());
            assertEquals(2, done.get("refused").asInt(), client.diagnostics());
            for (JsonNode e : client.events()) {
                if (e.path("event").asText().equals("connect_error")) {
                    assertEquals("Too many namespaces", e.get("message").asText());
                    assertTrue(List.of("/n3", "/n4").contains(e.get("nsp").asText()), e.toString());
                }
            }
        }
    }

    private ParentNamespace children;

    /** Middleware that answers only when the test opens the gate, as an auth check against a database does. */
    private SioFixture serverWithSlowMiddleware(int maxNamespaces, CompletableFuture<Void> gate) {
        SioFixture fx = SioFixture.start(b -> b.maxNamespacesPerClient(maxNamespaces).listenerExecutor(listeners));
        children = fx.io.of(Pattern.compile("/n\\d")).use((socket, next) -> gate.thenRun(next::ok));
        return fx;
    }

    /** Sockets in the dynamic child namespace {@code name} (0 while it does not exist yet). */
    private int socketsIn(String name) {
        return children.children().stream().filter(n -> n.name().equals(name))
                .mapToInt(n -> n.sockets().size()).sum();
    }

    private static List<String> answers(RawWebSocket ws, int count) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(ws.awaitText("4", WAIT));
        }
        return out;
    }

    @Test
    void theNamespaceLimitHoldsWhileMiddlewareIsStillDeciding() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        try (SioFixture fx = serverWithSlowMiddleware(2, gate);
             RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            for (int i = 1; i <= 4; i++) {
                ws.sendText("40/n" + i + ",");
            }
            List<String> early = answers(ws, 2);
            gate.complete(null);
            List<String> all = new ArrayList<>(early);
            all.addAll(answers(ws, 2));
            assertEquals(2, all.stream().filter(a -> a.startsWith("40/n")).count(), all.toString());
            assertEquals(2, all.stream().filter(a -> a.matches("44/n\\d,\\{\"message\":\"Too many namespaces\"}"))
                    .count(), all.toString());
        }
    }

    @Test
    void aRepeatedConnectWhileMiddlewareIsDecidingMakesOneSocketAndLeavesNoneBehind() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        try (SioFixture fx = serverWithSlowMiddleware(32, gate)) {
            try (RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
                ws.sendText("40/n1,");
                ws.sendText("40/n1,");
                ws.sendText("40/n2,");
                SioFixture.eventually(() -> assertEquals(2, children.children().size()), "both namespaces asked for");
                gate.complete(null);
                ws.awaitText("40/n", WAIT);
                ws.awaitText("40/n", WAIT);
                SioFixture.eventually(() -> assertEquals(1, socketsIn("/n2")), "n2 joined");
                assertEquals(1, socketsIn("/n1"), "one socket per namespace and connection");
            }
            SioFixture.eventually(() -> assertEquals(0, socketsIn("/n1") + socketsIn("/n2")),
                    "every socket left with its connection");
        }
    }

    @Test
    void joinPastMaxRoomsPerSocketThrowsAndJoinsNoneOfTheRoomsAsked() throws Exception {
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.maxRoomsPerSocket(3));
             RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            fx.io.onConnection(s -> s.on("join", (args, ack) -> {
                List<String> rooms = new ArrayList<>();
                args.values().forEach(v -> rooms.add(v.asText()));
                try {
                    s.join(rooms);
                    answers.add("joined " + rooms + " -> " + s.rooms().size());
                } catch (TooManyRoomsException e) {
                    answers.add("refused " + rooms + " -> " + s.rooms().size());
                }
            }));
            ws.sendText("40");
            ws.awaitText("40{", WAIT);
            ws.sendText("42[\"join\",\"a\"]");
            assertEquals("joined [a] -> 2", answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "own room + a");
            ws.sendText("42[\"join\",\"b\",\"c\"]");
            assertEquals("refused [b, c] -> 2", answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "all or nothing");
            ws.sendText("42[\"join\",\"a\",\"b\"]");
            assertEquals("joined [a, b] -> 3", answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "a room already joined does not count twice");
            ws.sendText("42[\"join\",\"c\"]");
            assertEquals("refused [c] -> 3", answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, fx.io.engine().clientsCount(), "the connection stays");
        }
    }

    @Test
    void eventsOverTheRateLimitAreDroppedWithOneNoticeASecond() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.eventRateLimit(2, 5));
             RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            fx.io.onConnection(s -> {
                s.on("tick", (args, ack) -> handled.add(args.getString(0)));
                s.onError(errors::add);
            });
            ws.sendText("40");
            ws.awaitText("40{", WAIT);
            for (int i = 0; i < 30; i++) {
                ws.sendText("42[\"tick\",\"" + i + "\"]");
            }
            assertEquals("42[\"rate_limited\",{\"event\":\"tick\"}]", ws.awaitText("42[\"rate_limited\"", WAIT));
            SioFixture.eventually(() -> assertTrue(errors.size() >= 20, errors.size() + " errors"), "errors");
            List<String> first = new ArrayList<>();
            handled.drainTo(first);
            // The burst of 5, plus what refilled (2 a second) while the 30 frames arrived.
            assertTrue(first.size() >= 5 && first.size() <= 7, "handled " + first);
            assertEquals(List.of("0", "1", "2", "3", "4"), first.subList(0, 5));
            assertTrue(errors.peek() instanceof EventRateLimitedException e && e.event().equals("tick"));
            RawWebSocket.Frame more = ws.read(Duration.ofMillis(300));
            assertTrue(more == null || !more.text().contains("rate_limited"), "one notice per second: " + more);

            Thread.sleep(1100);
            ws.sendText("42[\"tick\",\"later\"]");
            assertEquals("later", handled.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the budget refills");
            assertEquals(1, fx.io.engine().clientsCount(), "the connection stays");
        }
    }

    @Test
    void aConnectionThatKeepsFloodingPastItsRefusalsIsDisconnected() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.eventRateLimit(0.5, 5).eventQueue(5).floodDisconnect(20)
                .rateLimitErrors(false).rateLimitedAnswer(event -> java.util.Map.of("refused", event)));
             RawWebSocket flooder = RawWebSocket.engineSession(fx.port, "/socket.io/");
             RawWebSocket calm = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            fx.io.onConnection(s -> s.on("tick", (args, ack) -> {
                handled.add(args.getString(0));
                ack.send("ok");
            }));
            flooder.sendText("40");
            flooder.awaitText("40{", WAIT);
            calm.sendText("40");
            calm.awaitText("40{", WAIT);
            // 5 pass, 5 wait, 19 are refused: one short of the allowance, so the connection stays.
            for (int i = 0; i < 29; i++) {
                flooder.sendText("42" + (100 + i) + "[\"tick\",\"f" + i + "\"]");
            }
            flooder.awaitText("43128", WAIT);
            assertEquals(2, fx.io.engine().clientsCount());
            // The twentieth refusal within the window ends it: the namespace's goodbye, then the connection.
            flooder.sendText("42129[\"tick\",\"f29\"]");
            assertEquals("41", flooder.awaitText("41", WAIT));
            SioFixture.eventually(() -> assertEquals(1, fx.io.engine().clientsCount()), "the flooder is gone");
            // The other connection was never touched.
            calm.sendText("421[\"tick\",\"calm\"]");
            assertEquals("431[\"ok\"]", calm.awaitText("431", WAIT));
        }
    }

    @Test
    void eventsOverTheRateWaitInOrderAndOnlyTheExcessIsAnswered() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.eventRateLimit(20, 5).eventQueue(10)
                .dropWhenRateLimited("cursor").rateLimitErrors(false)
                .rateLimitedAnswer(event -> java.util.Map.of("refused", event)));
             RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            fx.io.onConnection(s -> {
                s.on("tick", (args, ack) -> handled.add(args.getString(0)));
                s.on("cursor", (args, ack) -> handled.add("cursor"));
                s.onError(errors::add);
            });
            ws.sendText("40");
            ws.awaitText("40{", WAIT);
            for (int i = 0; i < 20; i++) {
                ws.sendText("42" + (100 + i) + "[\"tick\",\"" + i + "\"]");
            }
            ws.sendText("42[\"cursor\",1]");
            // 5 at once, 10 held; the other 5 are answered on their acks at once, in arrival order.
            for (int i = 15; i < 20; i++) {
                assertEquals("43" + (100 + i) + "[{\"refused\":\"tick\"}]", ws.awaitText("43" + (100 + i), WAIT));
            }
            List<String> all = new ArrayList<>();
            SioFixture.eventually(() -> {
                handled.drainTo(all);
                assertEquals(15, all.size(), all.toString());
            }, "the held events");
            assertEquals(java.util.stream.IntStream.range(0, 15).mapToObj(String::valueOf).toList(), all,
                    "held events keep their order; the volatile one was dropped, not held");
            assertEquals(List.of(), new ArrayList<>(errors), "refusals were answered, not handed to onError");
        }
    }
}
