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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the official browser client at {@code <path>/socket.io.js}, {@code socket.io.min.js} and their source
 * maps, from the bundle packaged into this jar at build time. Other requests pass through.
 */
final class ClientBundleHandler extends ChannelInboundHandlerAdapter {

    private static final String RESOURCE_DIR = "META-INF/hibiki/client/";
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static final byte[] MISSING = new byte[0];

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
            byte[] body = file == null ? MISSING : load(file);
            if (body == MISSING) {
                passing = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            swallowing = !(msg instanceof LastHttpContent);
            respond(ctx, req, file, body);
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

    private static byte[] load(String file) {
        if (!file.matches("socket\\.io(\\.min)?\\.js(\\.map)?")) {
            return MISSING;
        }
        return CACHE.computeIfAbsent(file, f -> {
            try (InputStream in = ClientBundleHandler.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + f)) {
                return in == null ? MISSING : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void respond(ChannelHandlerContext ctx, HttpRequest req, String file, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE,
                file.endsWith(".map") ? "application/json" : "application/javascript; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.headers().set("X-Content-Type-Options", "nosniff");
        if (HttpUtil.isKeepAlive(req)) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
