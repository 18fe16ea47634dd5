package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawHttp;
import io.hibiki.testsupport.RawWebSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node's asynchronous {@code allowRequest} (issue 21): a handshake check that answers later, on another thread,
 * lets a handshake through or refuses it with its own message, and never holds the event loop meanwhile.
 */
class AllowRequestAsyncIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
    private final java.util.concurrent.ExecutorService slowChecker = Executors.newSingleThreadExecutor();
    private final CountDownLatch slowMayPass = new CountDownLatch(1);
    private EngineServer server;
    private int port;

    @BeforeEach
    void start() {
        server = new EngineServer(EngineOptions.builder().ioThreads(1).allowRequestAsync(req -> {
            String token = req.queryParam("token");
            CompletableFuture<String> answer = new CompletableFuture<>();
            if ("slow".equals(token)) {
                // Its own thread: the scheduler below must stay free to answer the other checks.
                slowChecker.execute(() -> {
                    try {
                        slowMayPass.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer.complete(null);
                });
            } else if ("broken".equals(token)) {
                answer.completeExceptionally(new IllegalStateException("the token service is down"));
            } else {
                // Answered later, from another thread, as a lookup would.
                checker.schedule(() -> answer.complete("ok".equals(token) ? null : "token \"" + token + "\" expired"),
                        100, TimeUnit.MILLISECONDS);
            }
            return answer;
        }).build());
        server.onConnection(s -> s.onMessage(s::send));
        port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    @AfterEach
    void stop() {
        slowMayPass.countDown();
        server.close();
        checker.shutdownNow();
        slowChecker.shutdownNow();
    }

    private RawHttp.Response handshake(String token) throws Exception {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            return c.send("GET /engine.io/?EIO=4&transport=polling&token=" + token
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
        }
    }

    @Test
    void aCheckThatAnswersLaterLetsTheHandshakeThroughOrRefusesItWithItsMessage() throws Exception {
        RawHttp.Response ok = handshake("ok");
        assertEquals(200, ok.status());
        assertTrue(ok.body().startsWith("0{\"sid\":\""), ok.body());

        RawHttp.Response refused = handshake("stale");
        assertEquals(403, refused.status());
        assertEquals("{\"code\":4,\"message\":\"token \\\"stale\\\" expired\"}", refused.body());

        RawHttp.Response broken = handshake("broken");
        assertEquals(403, broken.status());
        assertEquals("{\"code\":4,\"message\":\"Forbidden\"}", broken.body());
        assertEquals(1, server.clientsCount(), "only the one let through has a session");

        try (RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket&token=ok")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 101"), ws.responseHead());
            assertTrue(ws.read(WAIT).text().startsWith("0{"));
            ws.sendText("4echo");
            assertEquals("4echo", ws.read(WAIT).text());
        }
        try (RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket&token=stale")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 403"), ws.responseHead());
        }
    }

    @Test
    void aRequestPipelinedBehindAPendingCheckEndsTheConnection() throws Exception {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            String get = "GET /engine.io/?EIO=4&transport=polling&token=slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            c.send(get + get);
            assertTrue(c.closedWithoutAnswer(), "closed, neither answered");
        }
        slowMayPass.countDown();
        assertEquals(200, handshake("ok").status(), "the server goes on serving");
    }

    @Test
    void theLoopServesOthersWhileACheckIsPending() throws Exception {
        // One event loop: if the pending check held it, the second handshake could not be answered.
        CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return handshake("slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(200, handshake("ok").status());
        assertFalse(slow.isDone(), "the slow check has not answered yet");
        slowMayPass.countDown();
        assertEquals(200, slow.get(WAIT.toSeconds(), TimeUnit.SECONDS).status());
    }
}
