package io.hibiki.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time limits of one HTTP connection, as Node's HTTP server has them: a request's head must arrive within
 * {@code headersTimeout} of the connection opening, its body may not stall for longer than {@code bodyTimeout},
 * and a kept-alive connection with no next request is closed after {@code keepAliveTimeout}. While a request is
 * being answered (a long poll, a download) no limit runs: the server is the slow side then. A connection that
 * becomes a WebSocket leaves these limits behind (it has heartbeats instead).
 */
final class HttpTimeouts extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpTimeouts.class);

    private enum Phase { AWAITING_HEAD, READING_BODY, ANSWERING }

    private final long headersMillis;
    private final long bodyMillis;
    private final long keepAliveMillis;
    private Phase phase = Phase.AWAITING_HEAD;
    private boolean firstRequest = true;
    private ScheduledFuture<?> timer;

    HttpTimeouts(EngineOptions options) {
        this.headersMillis = options.headersTimeout().toMillis();
        this.bodyMillis = options.bodyTimeout().toMillis();
        this.keepAliveMillis = options.keepAliveTimeout().toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx, headersMillis);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx, headersMillis);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            firstRequest = false;
            phase = Phase.READING_BODY;
            arm(ctx, bodyMillis);
        }
        if (msg instanceof HttpContent && phase == Phase.READING_BODY) {
            if (msg instanceof LastHttpContent) {
                phase = Phase.ANSWERING;
                cancel();
            } else {
                arm(ctx, bodyMillis);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res && res.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            cancel();
            ctx.pipeline().remove(this);
        } else if (msg instanceof LastHttpContent && phase == Phase.ANSWERING) {
            // The answer is out: from when it is written, the connection waits for the next request.
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (phase == Phase.ANSWERING && ctx.channel().isActive()) {
                    phase = Phase.AWAITING_HEAD;
                    arm(ctx, keepAliveMillis);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx, long millis) {
        cancel();
        Phase armed = phase;
        boolean first = firstRequest;
        timer = ctx.executor().schedule(() -> expire(ctx, armed, first), millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx, Phase armed, boolean first) {
        timer = null;
        if (armed != phase || !ctx.channel().isActive()) {
            return;
        }
        if (phase == Phase.AWAITING_HEAD && !first) {
            // An idle kept-alive connection: nothing was asked, nothing to answer.
            ctx.close();
            return;
        }
        log.debug("{}: {} timed out; answering 408", ctx.channel().remoteAddress(),
                phase == Phase.AWAITING_HEAD ? "request head" : "request body");
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        phase = Phase.ANSWERING;
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
