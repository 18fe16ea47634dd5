package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every Engine.IO limit over loopback, with real sockets: connection counts (global and per address, two
 * addresses being 127.0.0.1 and 127.0.0.2), the handshake rate per address, message and body sizes, packets per
 * payload. Each refusal is checked on the wire (status and JSON error) and on the server (close reason).
 */
class EngineLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String A = "127.0.0.1";
    private static final String B = "127.0.0.2";
    private static final String FORBIDDEN = "{\"code\":4,\"message\":\"Forbidden\"}";

    private EngineServer server;
    private int port;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();

    private void start(EngineOptions.Builder options) {
        server = new EngineServer(options.build());
        server.onConnection(s -> {
            s.onMessage(messages::add);
            s.onClose((reason, description) -> closes.add(reason));
        });
        port = server.listen(new InetSocketAddress(A, 0), null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** One status and body from a request on a fresh connection from {@code from}. */
    record Answer(int status, String body) {
    }

    private Answer http(String from, String method, String query, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(A, port), 5000);
            s.setSoTimeout(5000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " /engine.io/?EIO=4&transport=polling" + query + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n" + (body == null ? "" : "Content-Length: " + content.length + "\r\n")
                    + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(content);
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            return new Answer(status, all.substring(all.indexOf("\r\n\r\n") + 4));
        }
    }

    private Answer handshake(String from) throws IOException {
        return http(from, "GET", "", null);
    }

    private static String sid(Answer open) {
        assertEquals(200, open.status(), open.body());
        int at = open.body().indexOf("\"sid\":\"") + 7;
        return open.body().substring(at, open.body().indexOf('"', at));
    }

    private void assertForbidden(Answer a) {
        assertEquals(403, a.status(), a.body());
        assertEquals(FORBIDDEN, a.body());
    }

    @Test
    void maxConnectionsPerIpRefusesTheNextHandshakeFromThatAddressOnly() throws Exception {
        start(EngineOptions.builder().maxConnectionsPerIp(3));
        String first = sid(handshake(A));
        sid(handshake(A));
        sid(handshake(A));
        assertForbidden(handshake(A));
        try (RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 403"), "a WebSocket handshake counts too");
        }
        sid(handshake(B));
        assertEquals(4, server.clientsCount());
        assertEquals(200, http(A, "POST", "&sid=" + first, "1").status(), "the client closes one session");
        assertEquals(CloseReason.TRANSPORT_CLOSE, closes.poll(5, TimeUnit.SECONDS));
        sid(handshake(A));
    }

    @Test
    void handshakesPerSecondPerIpAllowsABurstThenRefusesUntilTokensRefill() throws Exception {
        start(EngineOptions.builder().handshakesPerSecondPerIp(1));
        long t0 = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 30; i++) {
            Answer a = handshake(A);
            if (i < 10) {
                assertEquals(200, a.status(), "the burst is 10 handshakes");
            }
            if (a.status() == 200) {
                accepted++;
            } else {
                assertForbidden(a);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(accepted <= 10 + Math.ceil(seconds) + 1, accepted + " accepted in " + seconds + " s");
        assertTrue(accepted < 30, "some were refused");
        assertEquals(200, handshake(B).status(), "another address has its own bucket");
        Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> handshake(A).status() == 200);
    }

    /** A rate under 0.1/s made a burst below one token: every handshake was refused, for ever. */
    @Test
    void aRateBelowOnePerTenSecondsStillAdmitsTheFirstHandshake() throws Exception {
        start(EngineOptions.builder().handshakesPerSecondPerIp(0.05));
        sid(handshake(A));
        assertForbidden(handshake(A));
    }

    @Test
    void maxConnectionsRefusesEveryAddressOnceReached() throws Exception {
        start(EngineOptions.builder().maxConnections(3));
        String first = sid(handshake(A));
        sid(handshake(B));
        sid(handshake(A));
        assertForbidden(handshake(B));
        assertForbidden(handshake(A));
        assertEquals(200, http(B, "POST", "&sid=" + first, "1").status());
        Awaitility.await().atMost(WAIT).until(() -> server.clientsCount() == 2);
        sid(handshake(B));
    }

    @Test
    void aWebSocketMessageOverMaxHttpBufferSizeClosesWith1009() throws Exception {
        start(EngineOptions.builder().maxHttpBufferSize(1000));
        try (RawWebSocket ws = RawWebSocket.engineSession(port, "/engine.io/")) {
            ws.sendText("4" + "x".repeat(999));
            Awaitility.await().atMost(WAIT).until(() -> messages.size() == 1);
            ws.sendText("4" + "y".repeat(1000));
            RawWebSocket.Frame close = ws.read(WAIT);
            assertEquals(RawWebSocket.CLOSE, close.opcode());
            assertEquals(1009, close.closeStatus());
            assertEquals(RawWebSocket.Frame.END, ws.read(WAIT));
        }
        assertEquals(CloseReason.TRANSPORT_ERROR, closes.poll(5, TimeUnit.SECONDS));
        assertEquals(1, messages.size(), "the oversized message was not delivered");
    }

    @Test
    void aPollingBodyOverMaxHttpBufferSizeIs413AndTakesNothing() throws Exception {
        start(EngineOptions.builder().maxHttpBufferSize(1000));
        String sid = sid(handshake(A));
        assertEquals(200, http(A, "POST", "&sid=" + sid, "4" + "x".repeat(999)).status());
        assertEquals(413, http(A, "POST", "&sid=" + sid, "4" + "y".repeat(1000)).status());
        // As Node: the session is left as it was; the official client reconnects on the 413 (a transport error).
        assertEquals(200, http(A, "POST", "&sid=" + sid, "4after").status());
        Awaitility.await().atMost(WAIT).until(() -> messages.size() == 2);
        assertEquals(List.of("x".repeat(999), "after"), messages);
    }

    @Test
    void aClientStillSendingItsOversizedBodyReadsThe413() throws Exception {
        start(EngineOptions.builder().maxHttpBufferSize(1000));
        String sid = sid(handshake(A));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(A, port), 5000);
            s.setSoTimeout(5000);
            byte[] body = ("4" + "z".repeat(200_000)).getBytes(StandardCharsets.US_ASCII);
            String head = "POST /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // The server answers from the headers; give it time to do so (and, before the fix, to close) before
            // the body arrives, as a slow uploader would.
            Thread.sleep(200);
            s.getOutputStream().write(body);
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(all.startsWith("HTTP/1.1 413 "), all);
        }
    }

    @Test
    void aPayloadOverMaxPayloadPacketsIsAParseError() throws Exception {
        start(EngineOptions.builder().maxPayloadPackets(5));
        String sid = sid(handshake(A));
        assertEquals(200, http(A, "POST", "&sid=" + sid, String.join("\u001e", "4a", "4b", "4c", "4d", "4e")).status());
        Answer over = http(A, "POST", "&sid=" + sid, String.join("\u001e", "4f", "4g", "4h", "4i", "4j", "4k"));
        // Answered like any payload with a bad packet (Node's way): "ok", the packets up to the limit, the end.
        assertEquals(200, over.status());
        assertEquals("ok", over.body());
        assertEquals(CloseReason.PARSE_ERROR, closes.poll(5, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), messages);
    }

    @Test
    void aRequestSentAfterAConnectionCloseAnswerIsNotServed() throws Exception {
        start(EngineOptions.builder());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(A, port), 5000);
            s.setSoTimeout(5000);
            String handshake = "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n";
            s.getOutputStream().write((handshake + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] first = new byte[9];
            assertEquals(9, in.readNBytes(first, 0, 9));
            assertEquals("HTTP/1.1 ", new String(first, StandardCharsets.US_ASCII));
            Thread.sleep(100);
            // The server said it closes; a second handshake on the same connection must not open a session.
            s.getOutputStream().write((handshake + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, rest.split("HTTP/1.1 ", -1).length, "one answer only: " + rest);
        }
        Thread.sleep(200);
        assertEquals(1, server.clientsCount(), "only the first handshake made a session");
    }
}
