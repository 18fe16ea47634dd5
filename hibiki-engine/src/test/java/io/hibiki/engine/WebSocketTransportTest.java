package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.advance;
import static io.hibiki.engine.EngineFixture.get;
import static io.hibiki.engine.EngineFixture.handshake;
import static io.hibiki.engine.EngineFixture.poll;
import static io.hibiki.engine.EngineFixture.reply;
import static io.hibiki.engine.EngineHttpErrorTableTest.BAD_REQUEST;
import static io.hibiki.engine.EngineHttpErrorTableTest.assertError;
import static io.hibiki.engine.WebSocketWire.BINARY;
import static io.hibiki.engine.WebSocketWire.CLOSE;
import static io.hibiki.engine.WebSocketWire.CONTINUATION;
import static io.hibiki.engine.WebSocketWire.TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.engine.WebSocketWire.Frame;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WebSocket sessions and the polling → WebSocket upgrade, as bytes on the wire, on virtual time. */
class WebSocketTransportTest {

    private EngineFixture f = new EngineFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void assertFrames(List<Frame> frames, String... texts) {
        assertEquals(List.of(texts), frames.stream().map(Frame::text).toList());
        frames.forEach(fr -> assertEquals(TEXT, fr.opcode()));
    }

    @Test
    void aWebSocketOnlySessionOpensWithoutUpgrades() throws Exception {
        WebSocketWire ws = new WebSocketWire(f.byteConnection());
        String head = ws.upgrade("EIO=4&transport=websocket");
        assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols"), head);
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", header(head, "Sec-WebSocket-Accept"));
        assertNull(header(head, "Set-Cookie"));
        List<Frame> frames = ws.frames();
        assertEquals(1, frames.size());
        String open = frames.get(0).text();
        assertEquals('0', open.charAt(0));
        JsonNode json = new ObjectMapper().readTree(open.substring(1));
        assertEquals("[]", json.get("upgrades").toString());
        assertEquals(f.sockets.get(0).id(), json.get("sid").asText());
        assertEquals(25000, json.get("pingInterval").asInt());
        assertEquals(Transport.WEBSOCKET, f.sockets.get(0).transport());
    }

    @Test
    void theCookieIsSetOnAWebSocketHandshake() {
        f = new EngineFixture(EngineOptions.builder().cookie(EngineOptions.CookieOptions.DEFAULT).build());
        WebSocketWire ws = new WebSocketWire(f.byteConnection());
        String head = ws.upgrade("EIO=4&transport=websocket");
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertEquals(1, f.sockets.size());
        assertEquals("io=" + f.sockets.get(0).id() + "; Path=/; HttpOnly; SameSite=Lax", header(head, "Set-Cookie"));
    }

    @Test
    void framesCarryTextAndBinaryMessagesBothWays() {
        WebSocketWire ws = new WebSocketWire(f.byteConnection());
        ws.upgrade("EIO=4&transport=websocket");
        ws.frames();
        ws.sendText("4hello");
        ws.send(BINARY, new byte[] {1, 2, 3});
        ws.sendText("4");
        assertEquals(List.of("hello", ""), f.messages);
        assertArrayEquals(new byte[] {1, 2, 3}, f.binaries.get(0));
        EngineSocket s = f.sockets.get(0);
        s.send("hi");
        s.send(new byte[] {9, 8});
        s.send("x".repeat(300));
        List<Frame> frames = ws.frames();
        assertEquals(3, frames.size());
        assertEquals("4hi", frames.get(0).text());
        assertEquals(BINARY, frames.get(1).opcode());
        assertArrayEquals(new byte[] {9, 8}, frames.get(1).payload(), "binary frames carry raw bytes, no prefix");
        assertEquals("4" + "x".repeat(300), frames.get(2).text());
    }

    @Test
    void heartbeatRunsOverWebSocket() {
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = new WebSocketWire(ch);
        ws.upgrade("EIO=4&transport=websocket");
        ws.frames();
        String sid = f.sockets.get(0).id();
        advance(ch, Duration.ofSeconds(25));
        assertFrames(ws.frames(), "2");
        ws.sendText("3");
        advance(ch, Duration.ofSeconds(20));
        assertNull(f.closes.get(sid));
        advance(ch, Duration.ofSeconds(5));
        assertFrames(ws.frames(), "2");
        advance(ch, Duration.ofSeconds(20));
        assertEquals(CloseReason.PING_TIMEOUT, f.closes.get(sid));
        List<Frame> frames = ws.frames();
        assertEquals(CLOSE, frames.get(0).opcode());
        assertEquals(1000, frames.get(0).closeStatus());
        assertFalse(ch.isOpen());
    }

    @Test
    void aMalformedTextFrameClosesWithParseError() {
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = new WebSocketWire(ch);
        ws.upgrade("EIO=4&transport=websocket");
        ws.sendText("9x");
        assertEquals(CloseReason.PARSE_ERROR, f.closes.get(f.sockets.get(0).id()));
        assertFalse(ch.isOpen());
    }

    @Test
    void aFrameOverMaxHttpBufferSizeClosesWith1009() {
        f = new EngineFixture(EngineOptions.builder().maxHttpBufferSize(200).build());
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = new WebSocketWire(ch);
        ws.upgrade("EIO=4&transport=websocket");
        ws.frames();
        ws.sendText("4" + "y".repeat(199));
        assertEquals(1, f.messages.size(), "exactly the limit is fine");
        ws.sendText("4" + "y".repeat(200));
        List<Frame> frames = ws.frames();
        assertEquals(CLOSE, frames.get(0).opcode());
        assertEquals(1009, frames.get(0).closeStatus());
        assertEquals(1, frames.size(), "one close frame");
        assertFalse(ch.isOpen());
        assertEquals(1, f.messages.size());
        assertEquals(CloseReason.TRANSPORT_ERROR, f.closes.get(f.sockets.get(0).id()));
    }

    /** A WebSocket-only session on {@code ch}, its open packet already read. */
    private static WebSocketWire openSession(EmbeddedChannel ch) {
        WebSocketWire ws = new WebSocketWire(ch);
        ws.upgrade("EIO=4&transport=websocket");
        ws.frames();
        return ws;
    }

    @Test
    void webSocketOnlySessionsShareTheirHandshakeUriButPollingOnesDoNot() {
        openSession(f.byteConnection());
        openSession(f.byteConnection());
        assertSame(f.sockets.get(0).request().uri(), f.sockets.get(1).request().uri());
        handshake(f.connection());
        handshake(f.connection());
        String a = f.sockets.get(2).request().uri();
        String b = f.sockets.get(3).request().uri();
        assertEquals(a, b);
        assertNotSame(a, b, "a polling URI carries a cache-buster: it stays out of the shared table");
    }

    @Test
    void aFragmentedMessageArrivesAsOneWithAPingBetweenItsFrames() {
        WebSocketWire ws = openSession(f.byteConnection());
        ws.sendFrame(TEXT, "4hel".getBytes(StandardCharsets.UTF_8), false);
        ws.sendFrame(WebSocketWire.PING, "p".getBytes(StandardCharsets.UTF_8), true);
        ws.sendFrame(CONTINUATION, "lo wo".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(), f.messages, "nothing before the last fragment");
        ws.sendFrame(CONTINUATION, "rld".getBytes(StandardCharsets.UTF_8), true);
        ws.sendFrame(BINARY, new byte[] {1, 2}, false);
        ws.sendFrame(CONTINUATION, new byte[] {3}, true);
        ws.sendText("4after");
        assertEquals(List.of("hello world", "after"), f.messages);
        assertArrayEquals(new byte[] {1, 2, 3}, f.binaries.get(0));
        List<Frame> frames = ws.frames();
        assertEquals(WebSocketWire.PONG, frames.get(0).opcode(), "the ping between fragments is answered");
        assertTrue(f.sockets.get(0).isOpen());
    }

    @Test
    void withoutDeflateFramesAreEncodedByTheTransportAndNettysFrameEncoderIsGone() {
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = openSession(ch);
        assertNull(ch.pipeline().get(WebSocketFrameEncoder.class), "no frame encoder left in the pipeline");
        ws.send(WebSocketWire.PING, new byte[] {'p', 'q'});
        f.sockets.get(0).send("hi");
        ws.send(CLOSE, new byte[] {0x03, (byte) 0xe8});
        List<Frame> frames = ws.frames();
        assertEquals(3, frames.size());
        assertEquals(WebSocketWire.PONG, frames.get(0).opcode());
        assertArrayEquals(new byte[] {'p', 'q'}, frames.get(0).payload(), "a pong carries the ping's payload");
        assertEquals("4hi", frames.get(1).text());
        assertEquals(CLOSE, frames.get(2).opcode());
        assertArrayEquals(new byte[] {0x03, (byte) 0xe8}, frames.get(2).payload(),
                "1000 and no reason text, as Node's ws sends its close codes");
        assertFalse(ch.isOpen());
    }

    @Test
    void anUnmaskedClientFrameClosesWith1002Once() {
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = openSession(ch);
        ws.sendUnmasked(TEXT, "4hi".getBytes(StandardCharsets.UTF_8));
        List<Frame> frames = ws.frames();
        assertEquals(1, frames.size(), "one close frame");
        assertEquals(CLOSE, frames.get(0).opcode());
        assertEquals(1002, frames.get(0).closeStatus());
        assertFalse(ch.isOpen());
        assertEquals(List.of(), f.messages);
        assertEquals(CloseReason.TRANSPORT_ERROR, f.closes.get(f.sockets.get(0).id()));
    }

    @Test
    void aContinuationWithoutAMessageClosesWith1002() {
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = openSession(ch);
        ws.sendFrame(CONTINUATION, "4x".getBytes(StandardCharsets.UTF_8), true);
        List<Frame> frames = ws.frames();
        assertEquals(CLOSE, frames.get(0).opcode());
        assertEquals(1002, frames.get(0).closeStatus());
        assertFalse(ch.isOpen());
        assertEquals(CloseReason.TRANSPORT_ERROR, f.closes.get(f.sockets.get(0).id()));
    }

    @Test
    void aNewMessageInsideAFragmentedOneClosesWith1002() {
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = openSession(ch);
        ws.sendFrame(TEXT, "4a".getBytes(StandardCharsets.UTF_8), false);
        ws.sendText("4b");
        List<Frame> frames = ws.frames();
        assertEquals(1002, frames.get(0).closeStatus());
        assertFalse(ch.isOpen());
        assertEquals(List.of(), f.messages);
    }

    @Test
    void fragmentsAddingUpPastMaxHttpBufferSizeCloseWith1009() {
        f = new EngineFixture(EngineOptions.builder().maxHttpBufferSize(200).build());
        EmbeddedChannel ch = f.byteConnection();
        WebSocketWire ws = openSession(ch);
        ws.sendFrame(TEXT, ("4" + "y".repeat(99)).getBytes(StandardCharsets.UTF_8), false);
        ws.sendFrame(CONTINUATION, "y".repeat(100).getBytes(StandardCharsets.UTF_8), true);
        assertEquals(1, f.messages.size(), "exactly the limit is fine");
        ws.sendFrame(TEXT, ("4" + "y".repeat(99)).getBytes(StandardCharsets.UTF_8), false);
        ws.sendFrame(CONTINUATION, "y".repeat(101).getBytes(StandardCharsets.UTF_8), true);
        List<Frame> frames = ws.frames();
        assertEquals(CLOSE, frames.get(0).opcode());
        assertEquals(1009, frames.get(0).closeStatus());
        assertFalse(ch.isOpen());
        assertEquals(1, f.messages.size());
    }

    @Test
    void aPollingSessionUpgradesWithoutLosingPackets() {
        EmbeddedChannel clock = f.connection();
        String sid = handshake(clock);
        EngineSocket s = f.socket(sid);
        boolean[] upgraded = {false};
        s.onUpgrade(() -> upgraded[0] = true);
        EmbeddedChannel pending = f.connection();
        assertNull(get(pending, poll(sid)));

        WebSocketWire ws = new WebSocketWire(f.byteConnection());
        assertTrue(ws.upgrade("EIO=4&transport=websocket&sid=" + sid).startsWith("HTTP/1.1 101"));
        assertEquals(List.of(), ws.frames(), "no open packet on an upgrade");
        ws.sendText("2probe");
        assertFrames(ws.frames(), "3probe");
        assertEquals(Transport.POLLING, s.transport());
        advance(clock, Duration.ZERO);
        assertEquals("6", reply(pending).body(), "the waiting poll is released with a noop");

        s.send("during");
        ws.sendText("5");
        assertTrue(upgraded[0]);
        assertEquals(Transport.WEBSOCKET, s.transport());
        s.send("after");
        assertFrames(ws.frames(), "4during", "4after");
        assertError(get(pending, poll(sid)), 400, BAD_REQUEST);
        advance(clock, Duration.ofSeconds(1));
        assertNull(reply(pending), "no more noops");
        assertTrue(s.isOpen());
    }

    @Test
    void anUpgradeThatNeverCompletesTimesOutAndKeepsPolling() {
        EmbeddedChannel clock = f.connection();
        String sid = handshake(clock);
        EmbeddedChannel wsChannel = f.byteConnection();
        WebSocketWire ws = new WebSocketWire(wsChannel);
        ws.upgrade("EIO=4&transport=websocket&sid=" + sid);
        advance(clock, Duration.ofSeconds(10).minusMillis(1));
        assertTrue(wsChannel.isOpen());
        advance(clock, Duration.ofMillis(1));
        assertFalse(wsChannel.isOpen(), "the probe transport is dropped");
        EngineSocket s = f.socket(sid);
        assertTrue(s.isOpen());
        assertEquals(Transport.POLLING, s.transport());
        s.send("still polling");
        assertEquals("4still polling", get(clock, poll(sid)).body());
    }

    @Test
    void aTransportKilledMidUpgradeLeavesTheSessionPollingWithNothingLost() {
        EmbeddedChannel clock = f.connection();
        String sid = handshake(clock);
        EngineSocket s = f.socket(sid);
        EmbeddedChannel pending = f.connection();
        assertNull(get(pending, poll(sid)));

        EmbeddedChannel wsChannel = f.byteConnection();
        WebSocketWire ws = new WebSocketWire(wsChannel);
        assertTrue(ws.upgrade("EIO=4&transport=websocket&sid=" + sid).startsWith("HTTP/1.1 101"));
        ws.sendText("2probe");
        assertFrames(ws.frames(), "3probe");
        advance(clock, Duration.ZERO);
        assertEquals("6", reply(pending).body());
        s.send("queued while probing");

        wsChannel.close();
        advance(clock, Duration.ZERO);
        assertTrue(s.isOpen(), "losing the probe transport does not end the session");
        assertEquals(Transport.POLLING, s.transport());
        s.send("after the kill");
        assertEquals("4queued while probing\u001e4after the kill", get(pending, poll(sid)).body());
        assertEquals("ok", EngineFixture.post(pending, poll(sid), "4from the client").body());
        assertEquals(List.of("from the client"), f.messages);

        WebSocketWire again = new WebSocketWire(f.byteConnection());
        assertTrue(again.upgrade("EIO=4&transport=websocket&sid=" + sid).startsWith("HTTP/1.1 101"),
                "a later upgrade still works");
        again.sendText("2probe");
        assertFrames(again.frames(), "3probe");
        again.sendText("5");
        assertEquals(Transport.WEBSOCKET, s.transport());
        s.send("over websocket");
        assertFrames(again.frames(), "4over websocket");
    }

    @Test
    void aTransportKilledBeforeItsProbeLeavesTheSessionPolling() {
        EmbeddedChannel clock = f.connection();
        String sid = handshake(clock);
        EngineSocket s = f.socket(sid);
        EmbeddedChannel wsChannel = f.byteConnection();
        new WebSocketWire(wsChannel).upgrade("EIO=4&transport=websocket&sid=" + sid);
        wsChannel.close();
        advance(clock, Duration.ofSeconds(11));
        assertTrue(s.isOpen());
        s.send("still here");
        assertEquals("4still here", get(clock, poll(sid)).body());
    }
}
