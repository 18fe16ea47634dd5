package io.hibiki.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.engine.AcceptEncoding;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the official browser client as Node's socket.io does: every build the client package ships
 * ({@code socket.io[.msgpack|.esm][.min].js} and the maps) at {@code <path>/…}, from copies packaged into this jar
 * at build time; with the client's version as ETag ({@code 304} on {@code If-None-Match}), {@code max-age=0} so a
 * browser revalidates after an upgrade, and gzip or deflate for clients that accept them (compressed once, kept).
 * Other requests pass through.
 */
final class ClientBundleHandler extends ChannelInboundHandlerAdapter {

    private static final String RESOURCE_DIR = "META-INF/hibiki/client/";
    /** Node's pattern for the client files (socket.io's clientPathRegex), without the path. */
    private static final Pattern FILES = Pattern.compile("socket\\.io(\\.msgpack|\\.esm)?(\\.min)?\\.js(\\.map)?");
    private static final Map<String, Bundle> CACHE = new ConcurrentHashMap<>();
    private static final Bundle MISSING = new Bundle(null, null, null);
    private static volatile String etag;

    /** One file, plain and compressed. */
    private record Bundle(byte[] plain, byte[] gzip, byte[] deflate) {
    }

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
            Bundle bundle = file == null ? MISSING : load(file);
            if (bundle == MISSING) {
                passing = !(msg instanceof LastHttpContent);
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            swallowing = !(msg instanceof LastHttpContent);
            respond(ctx, req, file, bundle);
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

    private static Bundle load(String file) {
        if (!FILES.matcher(file).matches()) {
            return MISSING;
        }
        return CACHE.computeIfAbsent(file, f -> {
            byte[] plain = resource(f);
            return plain == null ? MISSING : new Bundle(plain, compress(plain, true), compress(plain, false));
        });
    }

    private static byte[] resource(String name) {
        try (InputStream in = ClientBundleHandler.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] compress(byte[] plain, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3);
        try (DeflaterOutputStream z = gzip ? new GZIPOutputStream(out)
                : new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION))) {
            z.write(plain);
        } catch (IOException e) {
            // In memory: cannot fail.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code "<client version>"}, from the client package's manifest packaged beside the files. */
    private static String etag() {
        String e = etag;
        if (e == null) {
            byte[] manifest = resource("package.json");
            String version = "unknown";
            if (manifest != null) {
                try {
                    version = new ObjectMapper().readTree(manifest).path("version").asText("unknown");
                } catch (IOException ex) {
                    // keep "unknown": the files are still served, only revalidation is coarser
                }
            }
            e = "\"" + version + "\"";
            etag = e;
        }
        return e;
    }

    private static void respond(ChannelHandlerContext ctx, HttpRequest req, String file, Bundle bundle) {
        String tag = etag();
        String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        FullHttpResponse res;
        if (tag.equals(ifNoneMatch) || ("W/" + tag).equals(ifNoneMatch)) {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
            res.headers().set(HttpHeaderNames.ETAG, tag);
        } else {
            String encoding = AcceptEncoding.preferred(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            byte[] body = "gzip".equals(encoding) ? bundle.gzip : "deflate".equals(encoding) ? bundle.deflate
                    : bundle.plain;
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, file.endsWith(".map")
                    ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8");
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=0");
            res.headers().set(HttpHeaderNames.ETAG, tag);
            // Unlike Node, say that the body depends on Accept-Encoding, so a shared cache keeps both forms apart.
            res.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
            if (encoding != null) {
                res.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
            }
            res.headers().set("X-Content-Type-Options", "nosniff");
        }
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (HttpUtil.isKeepAlive(req)) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
