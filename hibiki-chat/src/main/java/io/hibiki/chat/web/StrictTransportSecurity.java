package io.hibiki.chat.web;

import io.hibiki.engine.ClientAddress;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * Adds {@code Strict-Transport-Security} to every answer of a connection whose request came over HTTPS: TLS to
 * this server, or to a trusted proxy that says so. Sits between the HTTP codec and the Engine.IO handler, so
 * polling answers carry it too; a connection that becomes a WebSocket no longer needs it, and it steps out of the
 * way of the frames.
 */
public final class StrictTransportSecurity extends ChannelDuplexHandler {

    private final String value;
    private final Predicate<InetAddress> trustedProxies;
    private boolean secure;

    public StrictTransportSecurity(long maxAgeSeconds, Predicate<InetAddress> trustedProxies) {
        this.value = "max-age=" + maxAgeSeconds;
        this.trustedProxies = trustedProxies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            secure = ClientAddress.usedHttps(ctx.channel(), req.headers(), trustedProxies);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            if (secure) {
                res.headers().set("Strict-Transport-Security", value);
            }
            if (res.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                ctx.pipeline().remove(this);
            }
        }
        ctx.write(msg, promise);
    }
}
