package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.RS;
import static io.hibiki.engine.EngineFixture.exchange;
import static io.hibiki.engine.EngineFixture.get;
import static io.hibiki.engine.EngineFixture.handshake;
import static io.hibiki.engine.EngineFixture.poll;
import static io.hibiki.engine.EngineFixture.post;
import static io.hibiki.engine.EngineFixture.reply;
import static io.hibiki.engine.EngineFixture.request;
import static io.hibiki.engine.EngineHttpErrorTableTest.BAD_REQUEST;
import static io.hibiki.engine.EngineHttpErrorTableTest.UNKNOWN_SID;
import static io.hibiki.engine.EngineHttpErrorTableTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.engine.EngineFixture.Reply;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Long-polling through the pipeline {@link EngineServer#addTo} builds: handshake, polls, posts, limits, routing. */
class EngineHttpHandlerTest {

    private EngineFixture f = new EngineFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/engine.io/", "/engine.io"})
    void handshakeSendsTheOpenPacketOnPathWithAndWithoutSlash(String path) throws Exception {
        Reply r = exchange(f.connection(), request(HttpMethod.GET, path + "?EIO=4&transport=polling&t=Nx1", null));
        assertEquals(200, r.status());
        assertEquals("text/plain; charset=UTF-8", r.header(HttpHeaderNames.CONTENT_TYPE));
        assertEquals(String.valueOf(r.body().length()), r.header(HttpHeaderNames.CONTENT_LENGTH));
        assertTrue(r.body().startsWith("0{\"sid\":\""), r.body());
        JsonNode open = new ObjectMapper().readTree(r.body().substring(1));
        String sid = open.get("sid").asText();
        assertTrue(sid.matches("[A-Za-z0-9_-]{20}"), sid);
        assertEquals("[\"websocket\"]", open.get("upgrades").toString());
        assertEquals(25000, open.get("pingInterval").asInt());
        assertEquals(20000, open.get("pingTimeout").asInt());
        assertEquals(1000000, open.get("maxPayload").asInt());
        assertEquals(5, open.size(), "no other fields");
        assertEquals(1, f.server.clientsCount());
        EngineSocket socket = f.sockets.get(0);
        assertEquals(sid, socket.id());
        assertSame(socket, f.server.socket(sid));
        assertEquals(Transport.POLLING, socket.transport());
        assertTrue(socket.isOpen());
    }

    @Test
    void openPacketReflectsTheOptions() throws Exception {
        f = new EngineFixture(EngineOptions.builder().transports(Transport.POLLING)
                .pingInterval(Duration.ofMillis(1500)).pingTimeout(Duration.ofMillis(700))
                .maxHttpBufferSize(4096).build());
        Reply r = get(f.connection(), "EIO=4&transport=polling");
        JsonNode open = new ObjectMapper().readTree(r.body().substring(1));
        assertEquals("[]", open.get("upgrades").toString());
        assertEquals(1500, open.get("pingInterval").asInt());
        assertEquals(700, open.get("pingTimeout").asInt());
        assertEquals(4096, open.get("maxPayload").asInt());
    }

    @Test
    void noUpgradesOfferedWhenUpgradesAreOff() {
        f = new EngineFixture(EngineOptions.builder().allowUpgrades(false).build());
        assertTrue(get(f.connection(), "EIO=4&transport=polling").body().contains("\"upgrades\":[]"));
    }

    @Test
    void postDeliversMessagesInOrderAndAnswersOk() {
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        Reply r = post(ch, poll(sid), "4hello");
        assertEquals(200, r.status());
        assertEquals("ok", r.body());
        assertEquals("text/html", r.header(HttpHeaderNames.CONTENT_TYPE));
        assertEquals(List.of("hello"), f.messages);

        assertEquals("ok", post(ch, poll(sid), "4a" + RS + "bAQID" + RS + "3" + RS + "4héllo").body());
        assertEquals(List.of("hello", "a", "héllo"), f.messages);
        assertEquals(1, f.binaries.size());
        assertArrayEquals(new byte[] {1, 2, 3}, f.binaries.get(0));
    }

    @Test
    void aWaitingPollIsAnsweredWhenTheServerSends() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        EmbeddedChannel b = f.connection();
        assertNull(get(b, poll(sid)), "the poll waits");
        f.socket(sid).send("hi");
        Reply r = reply(b);
        assertEquals(200, r.status());
        assertEquals("4hi", r.body());
        assertNull(reply(b));
    }

    @Test
    void packetsQueuedBetweenPollsGoOutAsOnePayload() {
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        EngineSocket s = f.socket(sid);
        s.send("a");
        s.send(new byte[] {1, 2, 3});
        s.send("b");
        assertEquals("4a" + RS + "bAQID" + RS + "4b", get(ch, poll(sid)).body());
    }

    @Test
    void aSecondConcurrentPollIsRefusedAndClosesTheSession() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        EmbeddedChannel b = f.connection();
        EmbeddedChannel c = f.connection();
        assertNull(get(b, poll(sid)));
        Reply refused = get(c, poll(sid));
        assertEquals(400, refused.status(), "as Node: a bare 400");
        assertEquals("", refused.body());
        assertEquals(CloseReason.TRANSPORT_ERROR, f.closes.get(sid));
        assertEquals("1", reply(b).body(), "the first poll learns of the close");
        assertEquals(0, f.server.clientsCount());
        assertFalse(f.socket(sid).isOpen());
    }

    @Test
    void aClientCloseAnswersTheWaitingPollWithANoop() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        EmbeddedChannel b = f.connection();
        assertNull(get(b, poll(sid)));
        Reply ok = post(f.connection(), poll(sid), "1");
        assertEquals("ok", ok.body());
        assertEquals("6", reply(b).body(), "Node answers the poll with a noop: the client is the one leaving");
        assertEquals(CloseReason.TRANSPORT_CLOSE, f.closes.get(sid));
    }

    @Test
    void aSecondPostWhileTheFirstIsArrivingIsRefusedAndEndsTheSession() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        EmbeddedChannel first = f.connection();
        DefaultHttpRequest head = new DefaultHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, EngineFixture.PATH + "?" + poll(sid));
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 20);
        first.writeInbound(head, new DefaultHttpContent(
                Unpooled.copiedBuffer("4first", CharsetUtil.UTF_8)));
        first.runPendingTasks();
        assertNull(reply(first), "the first POST's body is still arriving");

        Reply second = post(f.connection(), poll(sid), "4second");
        assertEquals(400, second.status(), "as Node: a bare 400");
        assertEquals("", second.body());
        assertEquals(CloseReason.TRANSPORT_ERROR, f.closes.get(sid));
        assertFalse(first.isActive(), "the first POST's connection is dropped, as Node destroys it");
        assertTrue(f.messages.isEmpty(), "neither body is delivered");
    }

    @Test
    void pollsAndPostsAreNotToBeCached() {
        EmbeddedChannel ch = f.connection();
        Reply open = get(ch, "EIO=4&transport=polling");
        assertEquals("no-store", open.header(HttpHeaderNames.CACHE_CONTROL));
        String sid = open.body().substring(9, 29);
        assertEquals("no-store", post(ch, poll(sid), "4a").header(HttpHeaderNames.CACHE_CONTROL));
        f.socket(sid).send("b");
        assertEquals("no-store", get(ch, poll(sid)).header(HttpHeaderNames.CACHE_CONTROL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9x", "bxyz!", "x", "", "a" + RS + "X" + RS + "b"})
    void aMalformedPostIsOkAndClosesWithParseError(String body) {
        // Node answers such a POST "200 ok" and ends the session: the client learns of it on its poll.
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        Reply r = post(ch, poll(sid), body);
        assertEquals(200, r.status());
        assertEquals("ok", r.body());
        assertEquals(CloseReason.PARSE_ERROR, f.closes.get(sid));
        assertTrue(f.messages.isEmpty(), "nothing of a malformed payload is delivered");
        assertEquals(0, f.server.clientsCount());
        assertError(get(ch, poll(sid)), 400, UNKNOWN_SID);
    }

    @Test
    void thePacketsBeforeABadOneAreDelivered() {
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        assertEquals("ok", post(ch, poll(sid), "4a" + RS + RS + "4b").body());
        assertEquals(List.of("a"), f.messages, "as Node's parser: up to the first bad packet");
        assertEquals(CloseReason.PARSE_ERROR, f.closes.get(sid));
    }

    @Test
    void aPostDeclaringMoreThanMaxHttpBufferSizeIs413AndLeavesTheSession() {
        f = new EngineFixture(EngineOptions.builder().maxHttpBufferSize(10).build());
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        assertEquals("ok", post(ch, poll(sid), "4123456789").body(), "exactly the limit is fine");
        EmbeddedChannel big = f.connection();
        Reply r = post(big, poll(sid), "4" + "x".repeat(20), "Content-Length", "21");
        assertTooLarge(r, big, ch, sid);
    }

    @Test
    void aStreamedPostGrowingOverMaxHttpBufferSizeIs413AndLeavesTheSession() {
        f = new EngineFixture(EngineOptions.builder().maxHttpBufferSize(10).build());
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        EmbeddedChannel big = f.connection();
        big.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, EngineFixture.PATH + "?" + poll(sid)));
        big.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("4xxxxx", CharsetUtil.UTF_8)));
        assertNull(reply(big));
        big.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("xxxxx", CharsetUtil.UTF_8)));
        Reply r = reply(big);
        assertTooLarge(r, big, ch, sid);
    }

    private void assertTooLarge(Reply r, EmbeddedChannel big, EmbeddedChannel ch, String sid) {
        assertEquals(413, r.status());
        assertEquals("close", r.header(HttpHeaderNames.CONNECTION));
        assertFalse(big.isOpen(), "the unread rest of the body makes the connection unusable");
        assertTrue(f.messages.stream().noneMatch(m -> m.startsWith("x")));
        // As Node: the 413 is the answer (the client sees a transport error and reconnects); the session and its
        // waiting poll are left alone, so the client never sees a "transport close" race with it.
        assertNull(f.closes.get(sid));
        assertNull(get(ch, poll(sid)), "the poll waits as before");
    }

    @Test
    void theClientsClosePacketClosesTheSession() {
        EmbeddedChannel ch = f.connection();
        String sid = handshake(ch);
        assertEquals("ok", post(ch, poll(sid), "1").body());
        assertEquals(CloseReason.TRANSPORT_CLOSE, f.closes.get(sid));
        assertEquals(0, f.server.clientsCount());
    }

    @Test
    void aServerCloseAnswersTheWaitingPollWithAClosePacket() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        EmbeddedChannel b = f.connection();
        assertNull(get(b, poll(sid)));
        f.socket(sid).send("last");
        assertEquals("4last", reply(b).body());
        assertNull(get(b, poll(sid)));
        f.socket(sid).close();
        assertEquals("1", reply(b).body());
        assertEquals(CloseReason.FORCED_CLOSE, f.closes.get(sid));
    }

    @Test
    void aWaitingPollWhoseConnectionDropsClosesTheSession() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        EmbeddedChannel b = f.connection();
        assertNull(get(b, poll(sid)));
        b.close();
        assertEquals(CloseReason.TRANSPORT_ERROR, f.closes.get(sid));
    }

    @Test
    void aDroppedConnectionWhosePollWasAnsweredDoesNotCloseTheSession() {
        EmbeddedChannel a = f.connection();
        String sid = handshake(a);
        a.close();
        assertTrue(f.socket(sid).isOpen());
        assertNull(f.closes.get(sid));
    }

    @Test
    void requestsForOtherPathsPassThroughUntouched() {
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = f.connection(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
            }
        });
        for (String uri : List.of("/", "/index.html", "/engine.iox?EIO=4&transport=polling",
                "/engine.io/x?EIO=4&transport=polling", "/socket.io/?EIO=4&transport=polling",
                "/search?q=%zz")) {
            FullHttpRequest req = request(HttpMethod.GET, uri, "body");
            assertNull(exchange(ch, req), uri);
            assertSame(req, seen.get(seen.size() - 1), uri);
            assertEquals(1, req.refCnt(), "passed on, not released: " + uri);
        }
        // A streamed request passes through part by part, and the next request is routed afresh.
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        DefaultHttpContent part = new DefaultHttpContent(Unpooled.copiedBuffer("4hello", CharsetUtil.UTF_8));
        ch.writeInbound(head, part, new DefaultLastHttpContent());
        assertEquals(9, seen.size());
        assertSame(part, seen.get(7));
        assertEquals(List.of(), f.messages);
        handshake(ch);
        assertEquals(9, seen.size());
        assertEquals(0, ch.outboundMessages().size());
        seen.forEach(ReferenceCountUtil::release);
    }
}
