package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawWebSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketIoServer#close()} with clients connected: every official client is disconnected, every socket's
 * disconnect listener sees "server shutting down" (also for a polling client that has no poll waiting), and the
 * port is free for a new server at once.
 */
class GracefulShutdownIT {

    private static final Set<String> CLIENT_SIDE_REASONS = Set.of("transport close", "io server disconnect");

    private final List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();

    private void recordDisconnects(SocketIoServer io) {
        io.onConnection(s -> s.onDisconnect(reasons::add));
    }

    @Test
    void closeDisconnectsEveryOfficialClientAndReleasesThePort() {
        try (SioFixture fx = SioFixture.start()) {
            recordDisconnects(fx.io);
            Puppet ws = fx.puppet("--transports=websocket", "--clients=2");
            Puppet polling = fx.puppet("--transports=polling", "--clients=2");
            for (int i = 0; i < 2; i++) {
                ws.awaitConnect(i);
                polling.awaitConnect(i);
            }
            assertEquals(4, fx.io.sockets().size());
            // Idle clients: every polling client has its next poll waiting (the close packet rides on it; one
            // caught between two polls finds the port closed and reports "transport error", as with Node).
            SioFixture.eventually(() -> assertTrue(fx.io.sockets().values().stream()
                    .allMatch(s -> s.conn().isWritable())), "polls waiting");

            fx.io.close();

            for (Puppet p : List.of(ws, polling)) {
                for (int i = 0; i < 2; i++) {
                    String reason = p.awaitDisconnect(i);
                    assertTrue(CLIENT_SIDE_REASONS.contains(reason),
                            "client " + i + ": " + reason + "\n" + p.diagnostics());
                }
            }
            SioFixture.eventually(() -> assertEquals(Collections.nCopies(4, DisconnectReason.SERVER_SHUTTING_DOWN),
                    reasons), "server-side reasons");

            SocketIoServer next = SocketIoServer.builder().build();
            try {
                assertEquals(fx.port, next.listen(new InetSocketAddress("127.0.0.1", fx.port), null),
                        "the port is free again");
                next.onConnection(s -> s.emit("hello", "again"));
                Puppet again = new Puppet(fx.script("sio-puppet.mjs", "--transports=websocket"));
                again.awaitReceived(0, "hello", 1);
            } finally {
                next.close();
            }
        }
    }

    /**
     * The WebSocket close frame must leave before the connection closes: a shutting-down event loop closes its
     * channels before it runs what is still queued, so the server lets every loop write first.
     */
    @Test
    void aWebSocketClientGetsACloseFrameBeforeTheConnectionEnds() throws Exception {
        try (SioFixture fx = SioFixture.start();
             RawWebSocket ws = RawWebSocket.engineSession(fx.port, "/socket.io/")) {
            recordDisconnects(fx.io);
            ws.sendText("40");
            ws.awaitText("40{", SioFixture.WAIT);

            fx.io.close();

            RawWebSocket.Frame close = ws.read(SioFixture.WAIT);
            assertEquals(RawWebSocket.CLOSE, close.opcode(), "got " + close);
            assertEquals(1000, close.closeStatus());
            assertEquals(RawWebSocket.Frame.END, ws.read(SioFixture.WAIT));
            assertEquals(List.of(DisconnectReason.SERVER_SHUTTING_DOWN), reasons);
        }
    }

    /**
     * A polling client between two polls has nothing to carry the close packet; the session used to wait
     * {@code pingTimeout} for the next poll, a timer that the shutdown of the event loops then dropped, so the
     * socket never heard that the server went away.
     */
    @Test
    void aPollingClientWithoutAWaitingPollAlsoSeesServerShuttingDown() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            recordDisconnects(fx.io);
            HttpClient http = HttpClient.newBuilder().connectTimeout(SioFixture.WAIT).build();
            String base = fx.url() + "/socket.io/?EIO=4&transport=polling";
            String open = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(SioFixture.WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",", open.indexOf("\"sid\"")));
            HttpResponse<String> joined = http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
                    .POST(HttpRequest.BodyPublishers.ofString("40")).timeout(SioFixture.WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", joined.body());
            SioFixture.eventually(() -> assertEquals(1, fx.io.sockets().size()), "joined");

            fx.io.close();

            assertEquals(List.of(DisconnectReason.SERVER_SHUTTING_DOWN), reasons,
                    "told before close() returned, like every other socket");
            assertEquals(0, fx.io.engine().clientsCount());
        }
    }

    /**
     * {@code close(grace)}: an event already received whose handler answers later, from elsewhere (a database's
     * callback, here a timer), still gets its answer; with {@link #close()} the connection would be gone first.
     * Then the client is closed as by {@code close()}. A handler that never answers holds the close no longer than
     * the grace.
     */
    @Test
    void aGracefulCloseLetsOwedAcknowledgementsGoOutFirst() throws Exception {
        java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors.newScheduledThreadPool(1);
        java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(2);
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> {
                socket.on("slow", (args, ack) -> {
                    later.schedule(() -> ack.send("done"), 1500, java.util.concurrent.TimeUnit.MILLISECONDS);
                    handled.countDown();
                });
                socket.on("never", (args, ack) -> handled.countDown());
            });
            // Two clients: a client's acked emits go one after the other.
            Puppet client = fx.puppet("--transports=websocket", Puppet.doArg(Puppet.emitCmd("slow", true)));
            Puppet silent = fx.puppet("--transports=websocket", Puppet.doArg(Puppet.emitCmd("never", true)));
            client.awaitConnect(0);
            silent.awaitConnect(0);
            assertTrue(handled.await(10, java.util.concurrent.TimeUnit.SECONDS), "both events handled");

            long started = System.nanoTime();
            fx.io.close(java.time.Duration.ofSeconds(3));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals("[\"done\"]", client.awaitAck(0, "slow").get("args").toString(),
                    "the owed answer went out before the close\n" + client.diagnostics());
            assertTrue(CLIENT_SIDE_REASONS.contains(client.awaitDisconnect(0)), client.diagnostics());
            assertTrue(CLIENT_SIDE_REASONS.contains(silent.awaitDisconnect(0)), silent.diagnostics());
            // Bounded: the handler that never answers held the close for the grace, not for ever.
            assertTrue(tookMillis < 10_000, "close took " + tookMillis + " ms");
        } finally {
            later.shutdownNow();
        }
    }
}
