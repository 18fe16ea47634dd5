package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP connection limits on virtual time: head, stalled body, idle keep-alive, and none while answering. */
class HttpTimeoutsTest {

    private static final EngineOptions OPTIONS = EngineOptions.builder().build();

    /** Answers each complete request at once with 200, unless told to hold its answers. */
    private static final class Responder extends ChannelInboundHandlerAdapter {
        boolean hold;
        ChannelHandlerContext ctx;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            this.ctx = ctx;
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last && !hold) {
                answer(HttpResponseStatus.OK);
            }
        }

        void answer(HttpResponseStatus status) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(res);
        }
    }

    private static EmbeddedChannel channel(Responder responder) {
        return new EmbeddedChannel(new HttpServerCodec(), new HttpTimeouts(OPTIONS), responder);
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private static void advance(EmbeddedChannel ch, Duration d) {
        ch.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
    }

    private static String written(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out.toString();
    }

    @Test
    void aHeadThatNeverCompletesIsAnswered408AfterTheHeadersTimeout() {
        EmbeddedChannel ch = channel(new Responder());
        send(ch, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        advance(ch, Duration.ofSeconds(59));
        assertTrue(ch.isOpen(), "still within the 60 s");
        send(ch, "a");
        advance(ch, Duration.ofSeconds(2));
        assertTrue(written(ch).startsWith("HTTP/1.1 408 Request Timeout\r\n"));
        assertFalse(ch.isOpen());
    }

    @Test
    void aStalledBodyIsAnswered408AndAProgressingOneIsNot() {
        EmbeddedChannel ch = channel(new Responder());
        send(ch, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12");
        advance(ch, Duration.ofSeconds(20));
        send(ch, "34");
        advance(ch, Duration.ofSeconds(20));
        assertTrue(ch.isOpen(), "each byte restarts the body's 30 s");
        advance(ch, Duration.ofSeconds(11));
        assertTrue(written(ch).startsWith("HTTP/1.1 408 "));
        assertFalse(ch.isOpen());
    }

    @Test
    void anIdleKeptAliveConnectionClosesWithoutAnAnswer() {
        EmbeddedChannel ch = channel(new Responder());
        send(ch, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(written(ch).startsWith("HTTP/1.1 200 OK"));
        advance(ch, Duration.ofSeconds(4));
        send(ch, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(written(ch).startsWith("HTTP/1.1 200 OK"), "a request within 5 s is served");
        advance(ch, Duration.ofSeconds(6));
        assertFalse(ch.isOpen());
        assertEquals("", written(ch));
    }

    @Test
    void noLimitRunsWhileTheServerIsAnswering() {
        Responder responder = new Responder();
        responder.hold = true;
        EmbeddedChannel ch = channel(responder);
        send(ch, "GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
        advance(ch, Duration.ofMinutes(5));
        assertTrue(ch.isOpen(), "a long poll is the server's to end");
        responder.answer(HttpResponseStatus.OK);
        assertTrue(written(ch).startsWith("HTTP/1.1 200 OK"));
        advance(ch, Duration.ofSeconds(6));
        assertFalse(ch.isOpen());
    }

    @Test
    void aConnectionThatBecomesAWebSocketLeavesTheLimitsBehind() {
        Responder responder = new Responder();
        responder.hold = true;
        EmbeddedChannel ch = channel(responder);
        send(ch, "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
        responder.answer(HttpResponseStatus.SWITCHING_PROTOCOLS);
        written(ch);
        assertNull(ch.pipeline().get(HttpTimeouts.class));
        advance(ch, Duration.ofMinutes(5));
        assertTrue(ch.isOpen());
    }
}
