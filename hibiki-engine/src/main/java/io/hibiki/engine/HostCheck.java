package io.hibiki.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses requests whose {@code Host} is not one the server answers to (421, closed), before any route sees them.
 * A page on another site that makes its own name resolve to this server (DNS rebinding) can then not talk to a
 * server bound to loopback or a private address: its requests carry that site's name.
 */
final class HostCheck extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HostCheck.class);

    private final Predicate<String> allowed;
    /** After a refusal the rest of what the connection sends is dropped until it closes. */
    private boolean refused;

    HostCheck(Predicate<String> allowed) {
        this.allowed = allowed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && !allowed.test(HostName.of(req.headers().get(HttpHeaderNames.HOST)))) {
            refused = true;
            ReferenceCountUtil.release(msg);
            log.debug("{}: Host {} refused", ctx.channel().remoteAddress(), req.headers().get(HttpHeaderNames.HOST));
            byte[] body = "{\"code\":4,\"message\":\"Host not allowed\"}".getBytes(StandardCharsets.US_ASCII);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.MISDIRECTED_REQUEST, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
