package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.LogWatch;
import io.hibiki.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.awaitility.Awaitility;

/**
 * Hostile Socket.IO traffic against a real server over loopback: real packets, mutated packets, stray binaries and
 * raw bytes, over WebSocket frames and polling POSTs, to a server with namespaces (static, dynamic, with
 * middleware), recovery and a listener executor. After each sample nothing may have been logged at WARN or
 * above (an exception reaching Netty's pipeline tail is logged so), a healthy client keeps getting answers, and
 * once the hostile connection is gone no session or socket of it is left behind.
 */
class SocketIoWireFuzzIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final List<String> PACKETS = List.of(
            "0", "0/admin,", "0/dyn-7,", "0/nope,", "0{\"token\":1}", "0{\"pid\":\"abc\",\"offset\":\"x\"}",
            "1", "1/admin,", "2[\"echo\",1]", "21[\"echo\",{\"a\":[1,2]}]", "2/admin,3[\"echo\"]", "2[\"join\",\"r\"]",
            "2[\"shout\",\"r\",\"hi\"]", "3[]", "312[\"x\"]", "4{\"message\":\"m\"}",
            "51-[\"echo\",{\"_placeholder\":true,\"num\":0}]", "61-5[{\"_placeholder\":true,\"num\":0}]",
            "52-/admin,[\"echo\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]");

    private SocketIoServer io;
    private ParentNamespace dynamic;
    private int port;
    private ExecutorService listeners;
    private LogWatch logs;
    private RawWebSocket healthy;
    private int healthyAcks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @BeforeProperty
    void start() throws IOException {
        listeners = Executors.newFixedThreadPool(2);
        io = SocketIoServer.builder().connectionStateRecovery().listenerExecutor(listeners).build();
        io.onConnection(this::handlers);
        io.of("/admin").use((socket, next) -> next.ok()).onConnection(this::handlers);
        dynamic = io.of(Pattern.compile("/dyn-\\d+")).use((socket, next) -> next.ok()).onConnection(this::handlers);
        port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
        logs = LogWatch.open();
        healthy = RawWebSocket.engineSession(port, "/socket.io/");
        healthy.sendText("40");
        healthy.awaitText("40{", WAIT);
    }

    private void handlers(Socket socket) {
        socket.on("echo", (args, ack) -> ack.send(args.values().toArray()));
        socket.on("join", (args, ack) -> {
            if (args.getString(0) != null) {
                socket.join(args.getString(0));
            }
        });
        socket.on("shout", (args, ack) -> {
            if (args.getString(0) != null) {
                socket.namespace().to(args.getString(0)).emit("shout", args.get(1));
            }
        });
    }

    @AfterProperty
    void stop() {
        healthy.close();
        logs.close();
        io.close();
        listeners.shutdownNow();
    }

    @Property(tries = 200)
    void webSocketFrames(@ForAll("frames") List<Tuple.Tuple2<Integer, byte[]>> frames) throws Exception {
        try (RawWebSocket ws = RawWebSocket.engineSession(port, "/socket.io/")) {
            // All in one write, so the server reads them in one batch, as a pipelining client makes it.
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Tuple.Tuple2<Integer, byte[]> f : frames) {
                all.write(f.get1() < 0 ? f.get2() : RawWebSocket.frame(f.get1(), f.get2()));
            }
            // Then a barrier: an acked echo on the main namespace is answered after everything before it, the
            // middleware of earlier CONNECTs included (same listener executor queue), unless the server closed
            // the connection for the junk; either way the server is done with the sample.
            all.write(RawWebSocket.frame(RawWebSocket.TEXT, "40".getBytes(StandardCharsets.UTF_8)));
            all.write(RawWebSocket.frame(RawWebSocket.TEXT, "42999[\"echo\"]".getBytes(StandardCharsets.UTF_8)));
            ws.sendRaw(all.toByteArray());
            try {
                ws.awaitText("43999", WAIT);
            } catch (IOException closedByServer) {
                // A parse error or a protocol violation ended the connection: fine.
            }
        }
        assertServerStillHealthy();
    }

    @Property(tries = 100)
    void pollingPayloads(@ForAll("payloads") List<String> bodies) throws Exception {
        String open = send("GET", "", null).body();
        String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",", open.indexOf("\"sid\"")));
        for (String body : bodies) {
            int status = send("POST", "&sid=" + sid, body).statusCode();
            assertTrue(status == 200 || status == 400, "status " + status);
        }
        int status = send("POST", "&sid=" + sid, "1").statusCode();
        assertTrue(status == 200 || status == 400, "status " + status);
        assertServerStillHealthy();
    }

    private HttpResponse<String> send(String method, String query, String body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling" + query);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(WAIT);
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The healthy client gets its echo, nothing is logged at WARN+, and only its own session and socket remain. */
    private void assertServerStillHealthy() throws IOException {
        int n = ++healthyAcks;
        healthy.sendText("42" + n + "[\"echo\"," + n + "]");
        assertEquals("43" + n + "[" + n + "]", healthy.awaitText("43" + n + "[", WAIT));
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            assertEquals(1, io.engine().clientsCount(), "sessions");
            assertEquals(1, io.sockets().size(), "main namespace sockets");
            assertEquals(0, io.of("/admin").sockets().size(), "/admin sockets");
            assertEquals(0, dynamic.children().stream().mapToInt(ns -> ns.sockets().size()).sum(), "/dyn-* sockets");
        });
        assertEquals(List.of(), logs.problems());
    }

    // ---- samples ----

    private static Arbitrary<String> socketIoPacket() {
        Arbitrary<String> mutated = Arbitraries.of(PACKETS).flatMap(p -> Arbitraries.strings()
                .withChars("0123456789-/,[]{}\":_ab\\").ofMinLength(1).ofMaxLength(2)
                .flatMap(ins -> Arbitraries.integers().between(0, p.length()).map(at -> Tuple.of(at, ins)))
                .flatMap(t -> Arbitraries.integers().between(0, 2).map(op -> switch (op) {
                    case 0 -> p.substring(0, t.get1()) + t.get2() + p.substring(t.get1());
                    case 1 -> p.substring(0, t.get1()) + p.substring(Math.min(p.length(), t.get1() + 1));
                    default -> p.substring(0, t.get1()) + t.get2()
                            + p.substring(Math.min(p.length(), t.get1() + t.get2().length()));
                })));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(PACKETS)), Tuple.of(4, mutated),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)));
    }

    /** (opcode, payload) as one masked frame, or (-1, bytes) written raw. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, byte[]>>> frames() {
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> message = socketIoPacket()
                .map(p -> Tuple.of(RawWebSocket.TEXT, ("4" + p).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> engine = Arbitraries.of("1", "2", "3", "5", "6", "2probe", "7", "")
                .map(p -> Tuple.of(RawWebSocket.TEXT, p.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(16)
                .map(b -> Tuple.of(RawWebSocket.BINARY, b));
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> raw = Arbitraries.bytes().array(byte[].class).ofMinSize(1)
                .ofMaxSize(12).map(b -> Tuple.of(-1, b));
        // Joining namespaces that have middleware (it runs on the listener executor, so a repeated CONNECT can
        // arrive before the first is decided).
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> join = Arbitraries.of("40/admin,", "40/dyn-7,")
                .map(p -> Tuple.of(RawWebSocket.TEXT, p.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<List<Tuple.Tuple2<Integer, byte[]>>> frames = Arbitraries.frequencyOf(Tuple.of(8, message),
                Tuple.of(2, join), Tuple.of(1, engine), Tuple.of(3, binary), Tuple.of(1, raw))
                .list().ofMinSize(1).ofMaxSize(8);
        // A classic mutation: one frame sent twice in a row.
        return frames.flatMap(list -> Arbitraries.integers().between(-list.size(), list.size() - 1).map(i -> {
            List<Tuple.Tuple2<Integer, byte[]>> out = new java.util.ArrayList<>(list);
            if (i >= 0) {
                out.add(i, list.get(i));
            }
            return out;
        }));
    }

    /** Polling bodies: Socket.IO packets as Engine.IO messages, base64 binaries, junk, joined by separators. */
    @Provide
    Arbitrary<List<String>> payloads() {
        Arbitrary<String> part = Arbitraries.frequencyOf(
                Tuple.of(6, socketIoPacket().map(p -> "4" + p)),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(8)
                        .map(b -> "b" + java.util.Base64.getEncoder().encodeToString(b))),
                Tuple.of(1, Arbitraries.of("2", "3", "6", "b!!", "")));
        return part.list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("\u001e", parts))
                .list().ofMinSize(1).ofMaxSize(3);
    }
}
