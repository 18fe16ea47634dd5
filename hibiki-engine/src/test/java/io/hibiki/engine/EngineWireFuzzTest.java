package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.RS;
import static io.hibiki.engine.EngineFixture.get;
import static io.hibiki.engine.EngineFixture.handshake;
import static io.hibiki.engine.EngineFixture.poll;
import static io.hibiki.engine.EngineFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.engine.EngineFixture.Reply;
import io.hibiki.testsupport.LogWatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole server pipeline ({@code HttpServerCodec}, the engine, the 404 handler, as {@link EngineServer#listen}
 * builds it) fed hostile bytes on {@code EmbeddedChannel}s: raw HTTP, POST bodies to a live session, WebSocket
 * frames. An exception that reaches the end of the pipeline makes {@code EmbeddedChannel} throw; anything logged
 * at WARN or above fails too. After each sample a fresh client must still be served, and once every timer has
 * run no session may be left behind. Samples come from fixed seeds ({@link Fuzz#forAll}).
 */
class EngineWireFuzzTest {

    private static final Duration EXPIRY = Duration.ofSeconds(46);
    private static final Set<CloseReason> CLIENT_CAUSED =
            Set.of(CloseReason.PARSE_ERROR, CloseReason.TRANSPORT_ERROR, CloseReason.TRANSPORT_CLOSE);

    private LogWatch logs;

    @BeforeEach
    void watch() {
        logs = LogWatch.open();
    }

    @AfterEach
    void unwatch() {
        logs.close();
    }

    /** A client connection with {@code listen()}'s pipeline; its loop owns the sessions it opens. */
    private static EmbeddedChannel connection(EngineFixture f, boolean httpCodec) {
        EmbeddedChannel ch = httpCodec ? f.byteConnection() : f.connection();
        ch.pipeline().addLast("not-found", new NotFoundHandler());
        return ch;
    }

    /** Writes bytes as one read and runs what they caused; an exception at the pipeline's tail is thrown here. */
    private static void feed(EmbeddedChannel ch, byte[] bytes) {
        if (ch.isOpen()) {
            ch.writeInbound(Unpooled.copiedBuffer(bytes)); // a copy: the frame decoder unmasks in place
            ch.runPendingTasks();
            ch.checkException();
        }
    }

    /** (opcode, payload) as a masked client frame, or (-1, bytes) written raw on the connection. */
    record Frame(int opcode, byte[] payload) {
        @Override
        public String toString() {
            return (opcode < 0 ? "raw" : "op" + opcode) + Arrays.toString(payload);
        }
    }

    @Test
    void rawBytesOnANewConnection() {
        Fuzz.forAll(0x5EED_0101L, 1000, EngineWireFuzzTest::httpBytes, reads -> {
            try (EngineFixture f = new EngineFixture()) {
                EmbeddedChannel ch = connection(f, true);
                for (byte[] read : reads) {
                    feed(ch, read);
                }
                assertHealthyAndNothingLeft(f, ch);
            }
        });
    }

    @Test
    void postBodiesToALiveSession() {
        Fuzz.forAll(0x5EED_0102L, 600, r -> Fuzz.list(r, 1, 4, Fuzz::hostileText), bodies -> {
            try (EngineFixture f = new EngineFixture()) {
                EmbeddedChannel ch = connection(f, false);
                String sid = handshake(ch);
                for (String body : bodies) {
                    Reply r = post(ch, poll(sid), body);
                    ch.checkException();
                    assertTrue(r == null || r.status() == 200 || r.status() == 400, "status " + r);
                    if (r != null && r.status() == 400) {
                        assertTrue(CLIENT_CAUSED.contains(f.closes.get(sid)), "closes: " + f.closes);
                    }
                }
                assertHealthyAndNothingLeft(f, ch);
            }
        });
    }

    @Test
    void webSocketFramesToALiveSession() {
        Fuzz.forAll(0x5EED_0103L, 1000, EngineWireFuzzTest::frames, frames -> {
            try (EngineFixture f = new EngineFixture()) {
                EmbeddedChannel ch = connection(f, true);
                WebSocketWire ws = new WebSocketWire(ch);
                assertTrue(ws.upgrade("EIO=4&transport=websocket").startsWith("HTTP/1.1 101"));
                for (Frame frame : frames) {
                    if (!ch.isOpen()) {
                        break;
                    }
                    if (frame.opcode() < 0) {
                        feed(ch, frame.payload());
                    } else {
                        ws.send(frame.opcode(), frame.payload());
                        ch.checkException();
                    }
                }
                String sid = f.sockets.get(0).id();
                assertTrue(f.sockets.get(0).isOpen() || CLIENT_CAUSED.contains(f.closes.get(sid)),
                        "closes: " + f.closes);
                assertHealthyAndNothingLeft(f, ch);
            }
        });
    }

    /** A new client is served, nothing was logged at WARN+, and once the timers ran no session is left open. */
    private void assertHealthyAndNothingLeft(EngineFixture f, EmbeddedChannel fuzzed) {
        EmbeddedChannel healthy = f.connection();
        String sid = handshake(healthy);
        assertEquals(200, post(healthy, poll(sid), "4still there").status());
        assertEquals("still there", f.messages.get(f.messages.size() - 1));
        f.socket(sid).send("pong");
        assertEquals("4pong", get(healthy, poll(sid)).body());
        f.socket(sid).close();
        // As Node: a close with no poll waiting goes out on the next one, behind a noop.
        assertEquals("6" + RS + "1", get(healthy, poll(sid)).body(), "the close packet");
        // A plain EmbeddedChannel cancels its loop's timers when closed through Channel.close() (as the server
        // does after a 404 or a WebSocket close), so expiry can only be run on a connection the server left open.
        boolean closedByServer = !fuzzed.isOpen();
        if (!closedByServer) {
            // Ping after 25 s, no pong within 20 s: each step needs its own advance.
            for (int i = 0; i < 3; i++) {
                EngineFixture.advance(fuzzed, EXPIRY);
            }
        }
        fuzzed.close();
        fuzzed.checkException();
        long waitingForTimers = f.sockets.stream().filter(EngineSocket::isOpen).peek(s ->
                assertTrue(closedByServer && s.transport() == Transport.POLLING, "left open: " + s)).count();
        // A session the server registered but never opened is in no listener's list: it would be counted here.
        assertEquals(waitingForTimers, f.server.clientsCount(), "sessions: " + f.sockets + ", closes: " + f.closes);
        assertEquals(List.of(), logs.problems());
    }

    // ---- samples ----

    private static final String WS_HEAD = "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";

    private static final List<String> REQUESTS = List.of(
            "GET /engine.io/?EIO=4&transport=polling&t=N1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /engine.io/?EIO=4&transport=polling&sid=nope HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "POST /engine.io/?EIO=4&transport=polling&sid=nope HTTP/1.1\r\nHost: l\r\nContent-Length: 6\r\n\r\n4hello",
            "POST /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "6\r\n4hello\r\n0\r\n\r\n",
            "OPTIONS /engine.io/?EIO=4 HTTP/1.1\r\nOrigin: http://a.example\r\n\r\n",
            "GET /elsewhere HTTP/1.0\r\n\r\n",
            "GET /engine.io/?EIO=4&transport=polling&t=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            WS_HEAD,
            WS_HEAD + "\u0081\u0086\u0037\u00fa\u0021\u003d\u0003\u009f\u004d\u0051\u0058\u00d5");

    /** One to three reads: requests (6 in 7; whole, mutated or missing a line, 1:4:3) or up to 200 random bytes. */
    static List<byte[]> httpBytes(Random r) {
        return Fuzz.list(r, 1, 3, x -> {
            if (Fuzz.weighted(x, 6, 1) == 1) {
                return Fuzz.bytes(x, 0, 200);
            }
            String request = switch (Fuzz.weighted(x, 1, 4, 3)) {
                case 0 -> Fuzz.pick(x, REQUESTS);
                case 1 -> Fuzz.mutated(x, REQUESTS);
                default -> droppedLine(Fuzz.pick(x, REQUESTS), x.nextInt(1, 7));
            };
            return request.getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    /** A request with line {@code n} left out: handshakes missing the key, the version, the upgrade token. */
    private static String droppedLine(String r, int n) {
        String[] lines = r.split("\r\n", -1);
        if (n >= lines.length - 2) {
            return r;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i != n) {
                out.append(lines[i]).append(i < lines.length - 1 ? "\r\n" : "");
            }
        }
        return out.toString();
    }

    /** One to six frames: hostile text (6), any opcode with up to 140 bytes (3), or 1 to 40 raw bytes (1). */
    static List<Frame> frames(Random r) {
        return Fuzz.list(r, 1, 6, x -> switch (Fuzz.weighted(x, 6, 3, 1)) {
            case 0 -> new Frame(WebSocketWire.TEXT, Fuzz.hostileText(x).getBytes(StandardCharsets.UTF_8));
            case 1 -> new Frame(x.nextInt(16), Fuzz.bytes(x, 0, 140));
            default -> new Frame(-1, Fuzz.bytes(x, 1, 40));
        });
    }
}
