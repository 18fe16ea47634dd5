package io.hibiki.engine;

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
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The whole server pipeline ({@code HttpServerCodec}, the engine, the 404 handler, as {@link EngineServer#listen}
 * builds it) fed hostile bytes on {@code EmbeddedChannel}s: raw HTTP, POST bodies to a live session, WebSocket
 * frames. An exception that reaches the end of the pipeline makes {@code EmbeddedChannel} throw; anything logged
 * at WARN or above fails too. After each sample a fresh client must still be served, and once every timer has
 * run no session may be left behind.
 */
class EngineWireFuzzTest {

    private static final Duration EXPIRY = Duration.ofSeconds(46);
    private static final Set<CloseReason> CLIENT_CAUSED =
            Set.of(CloseReason.PARSE_ERROR, CloseReason.TRANSPORT_ERROR, CloseReason.TRANSPORT_CLOSE);

    private LogWatch logs;

    @BeforeProperty
    void watch() {
        logs = LogWatch.open();
    }

    @AfterProperty
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

    @Property(tries = 1000)
    void rawBytesOnANewConnection(@ForAll("httpBytes") List<byte[]> reads) {
        try (EngineFixture f = new EngineFixture()) {
            EmbeddedChannel ch = connection(f, true);
            for (byte[] read : reads) {
                feed(ch, read);
            }
            assertHealthyAndNothingLeft(f, ch);
        }
    }

    @Property(tries = 600)
    void postBodiesToALiveSession(@ForAll("hostileText") List<String> bodies) {
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
    }

    @Property(tries = 1000)
    void webSocketFramesToALiveSession(@ForAll("frames") List<Tuple.Tuple2<Integer, byte[]>> frames) {
        try (EngineFixture f = new EngineFixture()) {
            EmbeddedChannel ch = connection(f, true);
            WebSocketWire ws = new WebSocketWire(ch);
            assertTrue(ws.upgrade("EIO=4&transport=websocket").startsWith("HTTP/1.1 101"));
            for (Tuple.Tuple2<Integer, byte[]> frame : frames) {
                if (!ch.isOpen()) {
                    break;
                }
                if (frame.get1() < 0) {
                    feed(ch, frame.get2());
                } else {
                    ws.send(frame.get1(), frame.get2());
                    ch.checkException();
                }
            }
            String sid = f.sockets.get(0).id();
            assertTrue(f.sockets.get(0).isOpen() || CLIENT_CAUSED.contains(f.closes.get(sid)), "closes: " + f.closes);
            assertHealthyAndNothingLeft(f, ch);
        }
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
        assertEquals("1", get(healthy, poll(sid)).body(), "the close packet");
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

    @Provide
    Arbitrary<List<byte[]>> httpBytes() {
        Arbitrary<String> request = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(REQUESTS)),
                Tuple.of(4, Fuzz.mutated(Arbitraries.of(REQUESTS))),
                Tuple.of(3, droppedLine(Arbitraries.of(REQUESTS))));
        Arbitrary<byte[]> read = Arbitraries.frequencyOf(
                Tuple.of(6, request.map(s -> s.getBytes(StandardCharsets.ISO_8859_1))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)));
        return read.list().ofMinSize(1).ofMaxSize(3);
    }

    /** A request with one header line left out: handshakes missing the key, the version, the upgrade token. */
    private static Arbitrary<String> droppedLine(Arbitrary<String> requests) {
        return net.jqwik.api.Combinators.combine(requests, Arbitraries.integers().between(1, 6)).as((r, n) -> {
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
        });
    }

    @Provide
    Arbitrary<List<String>> hostileText() {
        return Fuzz.hostileText().list().ofMinSize(1).ofMaxSize(4);
    }

    /** (opcode, payload) as a masked client frame, or (-1, bytes) written raw on the connection. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, byte[]>>> frames() {
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> text = Fuzz.hostileText()
                .map(s -> Tuple.of(WebSocketWire.TEXT, s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> anyOpcode = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 15), Arbitraries.bytes().array(byte[].class).ofMaxSize(140))
                .as(Tuple::of);
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> raw = Arbitraries.bytes().array(byte[].class).ofMinSize(1)
                .ofMaxSize(40).map(b -> Tuple.of(-1, b));
        return Arbitraries.frequencyOf(Tuple.of(6, text), Tuple.of(3, anyOpcode), Tuple.of(1, raw))
                .list().ofMinSize(1).ofMaxSize(6);
    }
}
