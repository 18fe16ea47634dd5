package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.parser.RandomPackets;
import io.hibiki.testsupport.LogWatch;
import io.hibiki.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile Socket.IO traffic against a real server over loopback: real packets, mutated packets, stray binaries and
 * raw bytes, over WebSocket frames and polling POSTs, to a server with namespaces (static, dynamic, with
 * middleware), recovery and a listener executor. After each sample nothing may have been logged at WARN or
 * above (an exception reaching Netty's pipeline tail is logged so), a healthy client keeps getting answers, and
 * once the hostile connection is gone no session or socket of it is left behind. Samples come from fixed seeds
 * ({@link RandomPackets#forAll}).
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

    @BeforeEach
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

    @AfterEach
    void stop() {
        healthy.close();
        logs.close();
        io.close();
        listeners.shutdownNow();
    }

    /** (opcode, payload) as one masked frame, or (-1, bytes) written raw. */
    record Frame(int opcode, byte[] payload) {
        @Override
        public String toString() {
            return (opcode < 0 ? "raw" : "op" + opcode) + Arrays.toString(payload);
        }
    }

    @Test
    void webSocketFrames() {
        RandomPackets.forAll(0x5EED_0401L, 200, SocketIoWireFuzzIT::frames, frames -> {
            try (RawWebSocket ws = RawWebSocket.engineSession(port, "/socket.io/")) {
                // All in one write, so the server reads them in one batch, as a pipelining client makes it.
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (Frame f : frames) {
                    all.write(f.opcode() < 0 ? f.payload() : RawWebSocket.frame(f.opcode(), f.payload()));
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
        });
    }

    @Test
    void pollingPayloads() {
        RandomPackets.forAll(0x5EED_0402L, 100, SocketIoWireFuzzIT::payloads, bodies -> {
            String open = send("GET", "", null).body();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",", open.indexOf("\"sid\"")));
            for (String body : bodies) {
                int status = send("POST", "&sid=" + sid, body).statusCode();
                assertTrue(status == 200 || status == 400, "status " + status);
            }
            int status = send("POST", "&sid=" + sid, "1").statusCode();
            assertTrue(status == 200 || status == 400, "status " + status);
            assertServerStillHealthy();
        });
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

    private static final String MUTATION_CHARS = "0123456789-/,[]{}\":_ab\\";

    /** A real packet (3), one with an edit of one or two characters (4), or up to 12 of any chars (1). */
    private static String socketIoPacket(Random r) {
        int kind = RandomPackets.weighted(r, 3, 4, 1);
        if (kind == 2) {
            return RandomPackets.anyChars(r, 12);
        }
        String p = RandomPackets.pick(r, PACKETS);
        if (kind == 0) {
            return p;
        }
        String ins = RandomPackets.chars(r, MUTATION_CHARS, 1, 2);
        int at = r.nextInt(p.length() + 1);
        return switch (r.nextInt(3)) {
            case 0 -> p.substring(0, at) + ins + p.substring(at);
            case 1 -> p.substring(0, at) + p.substring(Math.min(p.length(), at + 1));
            default -> p.substring(0, at) + ins + p.substring(Math.min(p.length(), at + ins.length()));
        };
    }

    private static final List<String> ENGINE_PACKETS = List.of("1", "2", "3", "5", "6", "2probe", "7", "");

    /**
     * One to eight frames: Socket.IO packets (8), joins of namespaces with middleware (2), Engine.IO packets (1),
     * binaries (3), raw bytes (1); then, one time in two, one of them sent twice in a row.
     */
    static List<Frame> frames(Random r) {
        List<Frame> list = RandomPackets.list(r, 1, 8, x -> switch (RandomPackets.weighted(x, 8, 2, 1, 3, 1)) {
            case 0 -> text("4" + socketIoPacket(x));
            // Joining namespaces that have middleware (it runs on the listener executor, so a repeated CONNECT can
            // arrive before the first is decided).
            case 1 -> text(x.nextBoolean() ? "40/admin," : "40/dyn-7,");
            case 2 -> text(RandomPackets.pick(x, ENGINE_PACKETS));
            case 3 -> new Frame(RawWebSocket.BINARY, RandomPackets.bytes(x, 0, 16));
            default -> new Frame(-1, RandomPackets.bytes(x, 1, 12));
        });
        // A classic mutation: one frame sent twice in a row.
        int i = r.nextInt(-list.size(), list.size());
        List<Frame> out = new ArrayList<>(list);
        if (i >= 0) {
            out.add(i, list.get(i));
        }
        return out;
    }

    private static Frame text(String s) {
        return new Frame(RawWebSocket.TEXT, s.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> ENGINE_PARTS = List.of("2", "3", "6", "b!!", "");

    /**
     * One to three polling bodies of one to five parts joined by separators: Socket.IO packets as Engine.IO
     * messages (6), base64 binaries (2), Engine.IO packets and junk (1).
     */
    static List<String> payloads(Random r) {
        return RandomPackets.list(r, 1, 3, body -> String.join("\u001e", RandomPackets.list(body, 1, 5,
                x -> switch (RandomPackets.weighted(x, 6, 2, 1)) {
                    case 0 -> "4" + socketIoPacket(x);
                    case 1 -> "b" + Base64.getEncoder().encodeToString(RandomPackets.bytes(x, 0, 8));
                    default -> RandomPackets.pick(x, ENGINE_PARTS);
                })));
    }
}
