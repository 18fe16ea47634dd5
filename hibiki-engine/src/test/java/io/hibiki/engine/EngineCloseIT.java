package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} (and so a SIGTERM's shutdown hook) is bounded (issue 20): with clients connected over both
 * transports, polls waiting, and even an application task blocking an event loop, it returns within
 * {@link EngineServer#CLOSE_LIMIT_SECONDS}. {@code -Dclose.rounds=N} repeats the plain case to look for a rare hang.
 */
class EngineCloseIT {

    private static final long LIMIT_MILLIS = TimeUnit.SECONDS.toMillis(EngineServer.CLOSE_LIMIT_SECONDS) + 1500;

    @Test
    void closeReturnsInTimeEvenWhenAListenerBlocksALoop() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        EngineServer server = new EngineServer(EngineOptions.builder().ioThreads(2).build());
        server.onConnection(s -> s.onMessage(m -> {
            if (m.equals("block")) {
                blocking.countDown();
                try {
                    // An application mistake: a blocking call on the event loop.
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        int port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
        List<AutoCloseable> clients = connect(port, 6);
        try (RawWebSocket blocker = RawWebSocket.engineSession(port, "/engine.io/")) {
            blocker.sendText("4block");
            assertTrue(blocking.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            server.close();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < LIMIT_MILLIS, "close took " + took + " ms");
        } finally {
            release.countDown();
            closeAll(clients);
        }
    }

    @Test
    void closeWithClientsConnectedIsPromptEveryTime() throws Exception {
        int rounds = Integer.getInteger("close.rounds", 5);
        for (int round = 0; round < rounds; round++) {
            EngineServer server = new EngineServer(EngineOptions.DEFAULT);
            server.onConnection(s -> s.onMessage(s::send));
            int port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
            List<AutoCloseable> clients = connect(port, 6);
            try {
                long start = System.nanoTime();
                server.close();
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(took < LIMIT_MILLIS, "round " + round + ": close took " + took + " ms");
                assertEquals(0, server.clientsCount(), "round " + round);
            } finally {
                closeAll(clients);
            }
        }
    }

    /** Half WebSocket sessions, half polling sessions with a poll waiting. */
    private static List<AutoCloseable> connect(int port, int n) throws IOException {
        List<AutoCloseable> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                clients.add(RawWebSocket.engineSession(port, "/engine.io/"));
            } else {
                clients.add(waitingPoll(port));
            }
        }
        return clients;
    }

    private static Socket waitingPoll(int port) throws IOException {
        String sid;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int at = answer.indexOf("\"sid\":\"") + 7;
            sid = answer.substring(at, at + 20);
        }
        Socket poll = new Socket();
        poll.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        poll.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
        poll.getOutputStream().write(("GET /engine.io/?EIO=4&transport=polling&sid=" + sid
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return poll;
    }

    private static void closeAll(List<AutoCloseable> clients) throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }
}
