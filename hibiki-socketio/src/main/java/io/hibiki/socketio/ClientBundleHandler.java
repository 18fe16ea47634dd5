package io.hibiki.socketio;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves {@link ClientBundle}'s files at {@code <path>/…} on a Netty pipeline. Other requests pass through.
 */
final class ClientBundleHandler extends ChannelInboundHandlerAdapter {

    private final String prefix;
    private boolean swallowing;
    private boolean passing;

    ClientBundleHandler(String path) {
        this.prefix = path + "/";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            String file = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
            ClientBundle.Answer answer = file == null ? null : ClientBundle.answer(file,
                    req.headers().get(HttpHeaderNames.IF_NONE_MATCH), req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            if (answer == null) {
                passing = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            swallowing = !(msg instanceof LastHttpContent);
            respond(ctx, req, answer);
            return;
        }
        if (msg instanceof HttpContent) {
            boolean last = msg instanceof LastHttpContent;
            if (swallowing) {
                swallowing = !last;
                ReferenceCountUtil.release(msg);
                return;
            }
            if (passing) {
                passing = !last;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static void respond(ChannelHandlerContext ctx, HttpRequest req, ClientBundle.Answer answer) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        answer.headers().forEach(res.headers()::set);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (HttpUtil.isKeepAlive(req)) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
