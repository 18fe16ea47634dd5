package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.RawHttp;
import io.hibiki.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same raw requests against Node's socket.io ({@code conformance-server.mjs}) and against Hibiki set up alike,
 * side by side: each scenario writes a transcript of what the server answered (status, the headers a client or a
 * proxy acts on, the body with session ids masked), and the two transcripts must be equal and what Node is known to
 * answer (issue 14).
 */
class NodeConformanceIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String RS = "\u001e";
    /**
     * Some scenarios need the server to have read a poll before a POST comes: that cannot be seen from outside,
     * so they leave it this long (both servers read a loopback request in well under a millisecond).
     */
    private static final long READ_PAUSE_MILLIS = 150;

    private static NodeScript node;
    private static int nodePort;
    private static SocketIoServer hibiki;
    private static int hibikiPort;

    @BeforeAll
    static void start() {
        // Heartbeats long enough that no ping lands in a poll the scenario reads.
        node = NodeScript.start("conformance-server.mjs", "--ping-interval=25000", "--ping-timeout=20000");
        nodePort = node.await("listening", Duration.ofSeconds(20)).get("port").asInt();
        hibiki = SocketIoServer.builder()
                .engine(e -> e.pingInterval(Duration.ofMillis(25000)).pingTimeout(Duration.ofMillis(20000))
                        .maxHttpBufferSize(1_000_000))
                .connectTimeout(Duration.ofMillis(1000))
                .cors(c -> c.allowAnyOrigin())
                .build();
        hibiki.onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
        hibiki.of("/custom").onConnection(socket -> socket.emit("welcome", "custom"));
        hibikiPort = hibiki.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    @AfterAll
    static void stop() {
        if (hibiki != null) {
            hibiki.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aConnectMayEndWithItsNamespace() throws Exception {
        assertSame(List.of(
                "POST 40/custom -> 200 ok " + OK_HEADERS,
                "packets 40/custom,{\"sid\":\"<sid>\"} | 42/custom,[\"welcome\",\"custom\"]",
                "POST 40/random -> 200 ok " + OK_HEADERS,
                "packets 44/random,{\"message\":\"Invalid namespace\"}"), port -> {
            List<String> t = new ArrayList<>();
            String sid = handshake(port);
            t.add(post(port, sid, "40/custom"));
            t.add(packets(port, sid, 2));
            t.add(post(port, sid, "40/random"));
            t.add(packets(port, sid, 1));
            return t;
        });
    }

    @Test
    void aClientCloseAnswersTheWaitingPollWithANoop() throws Exception {
        assertSame(List.of(
                "POST 1 -> 200 ok " + OK_HEADERS,
                "waiting GET -> 200 6 " + POLL_HEADERS,
                "GET -> 400 {\"code\":1,\"message\":\"Session ID unknown\"} [access-control-allow-origin=*, "
                        + "connection=keep-alive, content-type=application/json, date=<http-date>, keep-alive=timeout=5]"),
                port -> {
            List<String> t = new ArrayList<>();
            String sid = handshake(port);
            try (RawHttp poll = RawHttp.open(port, WAIT)) {
                poll.send(getRequest(sid));
                Thread.sleep(READ_PAUSE_MILLIS);
                t.add(post(port, sid, "1"));
                t.add("waiting GET -> " + describe(poll.read()));
            }
            t.add("GET -> " + get(port, sid));
            return t;
        });
    }

    @Test
    void aSecondPostWhileTheFirstIsArrivingIsABare400AndEndsTheSession() throws Exception {
        assertSame(List.of(
                "second POST -> 400  [access-control-allow-origin=*, " + KEEP_ALIVE + "]",
                "first POST connection closed without answer: true",
                "GET -> 400 {\"code\":1,\"message\":\"Session ID unknown\"} [access-control-allow-origin=*, "
                        + "connection=keep-alive, content-type=application/json, date=<http-date>, keep-alive=timeout=5]"),
                port -> {
            List<String> t = new ArrayList<>();
            String sid = handshake(port);
            try (RawHttp first = RawHttp.open(port, WAIT)) {
                first.send("POST " + query(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 20\r\n\r\n4first");
                Thread.sleep(READ_PAUSE_MILLIS);
                try (RawHttp second = RawHttp.open(port, WAIT)) {
                    second.send(postRequest(sid, "4second"));
                    t.add("second POST -> " + describe(second.read()));
                }
                t.add("first POST connection closed without answer: " + first.closedWithoutAnswer());
            }
            t.add("GET -> " + get(port, sid));
            return t;
        });
    }

    /** A second CONNECT to a joined namespace, or an event for a namespace never joined: Node ends the connection. */
    @ParameterizedTest
    @ValueSource(strings = {"40", "42/custom,[\"echo\",1]"})
    void aPacketOutOfStepWithTheNamespacesClosesTheConnection(String packet) throws Exception {
        assertSame(List.of(
                "POST 40 -> 200 ok " + OK_HEADERS,
                "packets 40{\"sid\":\"<sid>\"}",
                "POST " + packet + " -> 200 ok " + OK_HEADERS,
                "packets 6 | 1"), port -> {
            List<String> t = new ArrayList<>();
            String sid = handshake(port);
            t.add(post(port, sid, "40"));
            t.add(packets(port, sid, 1));
            t.add(post(port, sid, packet));
            t.add(packets(port, sid, 1));
            return t;
        });
    }

    @Test
    void aPostOverTheLimitIs413AndLeavesTheSessionAndItsPoll() throws Exception {
        assertSame(List.of(
                "oversized POST -> 413",
                "POST 1 -> 200 ok " + OK_HEADERS,
                "waiting GET -> 200 6 " + POLL_HEADERS), port -> {
            List<String> t = new ArrayList<>();
            String sid = handshake(port);
            try (RawHttp poll = RawHttp.open(port, WAIT)) {
                poll.send(getRequest(sid));
                Thread.sleep(READ_PAUSE_MILLIS);
                try (RawHttp big = RawHttp.open(port, WAIT)) {
                    t.add("oversized POST -> " + big.send(postRequest(sid, "4" + "x".repeat(1_000_000))).read().status());
                }
                // The session is still there, and so is the poll: the client's own close answers it.
                t.add(post(port, sid, "1"));
                t.add("waiting GET -> " + describe(poll.read()));
            }
            return t;
        });
    }

    @Test
    void aBatchWithABadPacketIsOkAndEndsTheSession() throws Exception {
        assertSame(List.of(
                "POST a" + RS + "X" + RS + "b -> 200 ok " + OK_HEADERS,
                "waiting GET -> 200 1 " + POLL_HEADERS), port -> {
            List<String> t = new ArrayList<>();
            String sid = handshake(port);
            try (RawHttp poll = RawHttp.open(port, WAIT)) {
                poll.send(getRequest(sid));
                Thread.sleep(READ_PAUSE_MILLIS);
                t.add(post(port, sid, "a" + RS + "X" + RS + "b"));
                t.add("waiting GET -> " + describe(poll.read()));
            }
            return t;
        });
    }

    @Test
    void theClientBundlesAreServedAsNodeServesThem() throws Exception {
        assertSame(List.of(
                "socket.io.js -> 200 application/javascript; charset=utf-8 | public, max-age=0 | \"4.8.1\" | plain",
                "socket.io.min.js -> 200 application/javascript; charset=utf-8 | public, max-age=0 | \"4.8.1\" | gzip",
                "socket.io.esm.min.js -> 200 application/javascript; charset=utf-8 | public, max-age=0 | \"4.8.1\" | gzip",
                "socket.io.msgpack.min.js -> 200 application/javascript; charset=utf-8 | public, max-age=0 | \"4.8.1\" "
                        + "| deflate",
                "socket.io.min.js.map -> 200 application/json; charset=utf-8 | public, max-age=0 | \"4.8.1\" | gzip",
                "socket.io.min.js again -> 304",
                "socket.io.min.js weakly again -> 304"), port -> {
            List<String> t = new ArrayList<>();
            t.add(bundle(port, "socket.io.js", null, null));
            t.add(bundle(port, "socket.io.min.js", "gzip, deflate, br;q=0", null));
            t.add(bundle(port, "socket.io.esm.min.js", "gzip", null));
            t.add(bundle(port, "socket.io.msgpack.min.js", "deflate", null));
            t.add(bundle(port, "socket.io.min.js.map", "gzip", null));
            t.add(bundle(port, "socket.io.min.js", null, "\"4.8.1\"").replace(" -> ", " again -> "));
            t.add(bundle(port, "socket.io.min.js", null, "W/\"4.8.1\"").replace(" -> ", " weakly again -> "));
            return t;
        });
        // And the bytes are the same files, however they were sent.
        for (String file : List.of("socket.io.min.js", "socket.io.esm.min.js", "socket.io.min.js.map")) {
            assertEquals(bundleBytes(nodePort, file, "gzip"), bundleBytes(hibikiPort, file, "gzip"), file);
            assertEquals(bundleBytes(nodePort, file, null), bundleBytes(hibikiPort, file, "deflate"), file);
        }
    }

    /** Status, type, caching, ETag and the encoding chosen; a 304 is its status alone. */
    private static String bundle(int port, String file, String acceptEncoding, String ifNoneMatch) throws IOException {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            RawHttp.Response r = c.send("GET /socket.io/" + file + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n")
                    + (ifNoneMatch == null ? "" : "If-None-Match: " + ifNoneMatch + "\r\n") + "\r\n").read();
            if (r.status() == 304) {
                return file + " -> 304";
            }
            String encoding = r.header("content-encoding");
            return file + " -> " + r.status() + " " + r.header("content-type") + " | " + r.header("cache-control")
                    + " | " + r.header("etag") + " | " + (encoding == null ? "plain" : encoding);
        }
    }

    /** The file's bytes after undoing its content encoding, as a digest. */
    private static String bundleBytes(int port, String file, String acceptEncoding) throws Exception {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            RawHttp.Response r = c.send("GET /socket.io/" + file + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n") + "\r\n").read();
            String encoding = r.header("content-encoding") == null ? "" : r.header("content-encoding");
            java.io.InputStream in = new java.io.ByteArrayInputStream(r.bytes());
            if (encoding.equals("gzip")) {
                in = new java.util.zip.GZIPInputStream(in);
            } else if (encoding.equals("deflate")) {
                in = new java.util.zip.InflaterInputStream(in);
            }
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(in.readAllBytes()));
        }
    }

    @Test
    void binaryAsBase64TextOverWebSocketIsTakenAndAnsweredAlike() throws Exception {
        // engine.io-client with forceBase64 (b64=1) sends binary as a text frame "b" + base64, and expects the same.
        assertSame(List.of(
                "text 0{\"sid\":\"<sid>\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                        + "\"maxPayload\":1000000}",
                "text 40{\"sid\":\"<sid>\"}",
                "text 461-1[{\"_placeholder\":true,\"num\":0}]",
                "text bAAECAwQ="), port -> {
            List<String> t = new ArrayList<>();
            try (RawWebSocket ws = RawWebSocket.open(port, "/socket.io/?EIO=4&transport=websocket&b64=1")) {
                t.add(frame(ws));
                ws.sendText("40");
                t.add(frame(ws));
                ws.sendText("451-1[\"echo\",{\"_placeholder\":true,\"num\":0}]");
                ws.sendText("bAAECAwQ=");
                t.add(frame(ws));
                t.add(frame(ws));
            }
            return t;
        });
    }

    @Test
    void aWebSocketMessageOverTheLimitClosesWith1009AndNoReason() throws Exception {
        assertSame(List.of("close 1009, reason \"\""), port -> {
            try (RawWebSocket ws = RawWebSocket.open(port, "/socket.io/?EIO=4&transport=websocket")) {
                frame(ws);
                // Only the head of a frame announcing 1 000 002 bytes: both servers judge the length from it, and
                // a client still writing the rest when the server closes would meet a reset instead of the answer.
                java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(2 + 8 + 4 + 2);
                head.put((byte) 0x81).put((byte) (0x80 | 127)).putLong(1_000_002L).putInt(0).put((byte) '4')
                        .put((byte) 'x');
                ws.sendRaw(head.array());
                RawWebSocket.Frame f = ws.read(WAIT);
                while (f != null && f.opcode() != RawWebSocket.CLOSE) {
                    f = ws.read(WAIT);
                }
                return List.of(f == null ? "no close frame"
                        : "close " + f.closeStatus() + ", reason \"" + new String(f.payload(), 2,
                        f.payload().length - 2, java.nio.charset.StandardCharsets.UTF_8) + "\"");
            }
        });
    }

    private static String frame(RawWebSocket ws) throws IOException {
        RawWebSocket.Frame f = ws.read(WAIT);
        if (f == null) {
            return "nothing";
        }
        return (f.opcode() == RawWebSocket.TEXT ? "text " : "opcode " + f.opcode() + " ") + mask(f.text());
    }

    // ---- the scenario runner ----

    /** What every answer on a kept-alive connection carries (names sorted, as {@link #describe} sorts them). */
    private static final String KEEP_ALIVE = "connection=keep-alive, date=<http-date>, keep-alive=timeout=5";
    private static final String OK_HEADERS = "[access-control-allow-origin=*, cache-control=no-store, "
            + "connection=keep-alive, content-type=text/html, date=<http-date>, keep-alive=timeout=5]";
    private static final String POLL_HEADERS = "[access-control-allow-origin=*, cache-control=no-store, "
            + "connection=keep-alive, content-type=text/plain; charset=utf-8, date=<http-date>, keep-alive=timeout=5]";

    private interface Scenario {
        List<String> run(int port) throws Exception;
    }

    /** Runs the scenario on Node, then on Hibiki: Node must answer as expected, and Hibiki as Node did. */
    private static void assertSame(List<String> expected, Scenario scenario) throws Exception {
        List<String> fromNode = scenario.run(nodePort);
        assertEquals(expected, fromNode, "Node's answers (the reference) are not what this test expects");
        assertEquals(fromNode, scenario.run(hibikiPort), "Hibiki answers differently from Node");
    }

    private static String query(String sid) {
        return "/socket.io/?EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid);
    }

    private static String getRequest(String sid) {
        return "GET " + query(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private static String postRequest(String sid, String body) {
        return "POST " + query(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n"
                + body;
    }

    private static String handshake(int port) throws IOException {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            RawHttp.Response r = c.send(getRequest(null)).read();
            assertEquals(200, r.status(), r.body());
            return r.body().substring("0{\"sid\":\"".length(), "0{\"sid\":\"".length() + 20);
        }
    }

    private static String post(int port, String sid, String body) throws IOException {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            return "POST " + body + " -> " + describe(c.send(postRequest(sid, body)).read());
        }
    }

    private static String get(int port, String sid) throws IOException {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            return describe(c.send(getRequest(sid)).read());
        }
    }

    /** Polls until {@code count} packets came (however the server batched them), within the deadline. */
    private static String packets(int port, String sid, int count) throws IOException {
        List<String> packets = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (packets.size() < count && System.nanoTime() < deadline) {
            try (RawHttp c = RawHttp.open(port, WAIT)) {
                RawHttp.Response r = c.send(getRequest(sid)).read();
                if (r.status() != 200) {
                    return "packets cut short by " + describe(r);
                }
                for (String p : r.body().split(RS)) {
                    packets.add(mask(p));
                }
            }
        }
        return "packets " + String.join(" | ", packets);
    }

    /** Status, body and the headers clients and caches act on, sorted by name; ids masked. */
    private static String describe(RawHttp.Response r) {
        List<String> kept = new ArrayList<>();
        for (var h : r.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-type") || name.equals("cache-control") || name.startsWith("access-control-")
                    || name.equals("connection") || name.equals("keep-alive")) {
                kept.add(name + "=" + h.getValue().toLowerCase(Locale.ROOT));
            } else if (name.equals("date")) {
                kept.add(name + (h.getValue().matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT")
                        ? "=<http-date>" : "=" + h.getValue()));
            }
        }
        kept.sort(null);
        return r.status() + " " + mask(r.body()) + " " + kept;
    }

    private static String mask(String text) {
        return text.replaceAll("\"sid\":\"[A-Za-z0-9_-]{20}\"", "\"sid\":\"<sid>\"");
    }
}
