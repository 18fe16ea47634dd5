package io.hibiki.adminui;

import io.hibiki.engine.NotFoundHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Serves the admin UI (the files of {@code @socket.io/admin-ui}'s {@code ui/dist}, packaged in this jar) at a path
 * of the server's own listener: {@code io.listen(address, AdminUiFiles.at("/admin-ui"))}. Nothing is fetched from
 * another host: the page's icon font ({@code @mdi/font}, which it would load from a CDN) is in this jar too, and its
 * link to a web font for text is left out (the browser's own sans-serif is used). Other requests pass on.
 */
public final class AdminUiFiles extends ChannelInboundHandlerAdapter {

    private static final String RESOURCE_DIR = "META-INF/hibiki/admin-ui/";
    /** A file name up to two folders deep; nothing else (no dot-dot, no absolute paths) is ever looked up. */
    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_-]+/){0,2}[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /** The page's link to the icon font on a CDN: the same font is in this jar. */
    private static final Pattern ICONS =
            Pattern.compile("<link rel=\"?stylesheet\"? href=\"?https?://[^>]*/@mdi/font@[^>]*>");
    private static final String LOCAL_ICONS = "<link rel=\"stylesheet\" href=\"mdi/css/materialdesignicons.min.css\">";
    private static final Pattern EXTERNAL_STYLESHEET =
            Pattern.compile("<link rel=\"?stylesheet\"? href=\"?https?://[^>]*>");
    private static final Map<String, Optional<byte[]>> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "application/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png",
            "svg", "image/svg+xml", "ico", "image/x-icon", "woff2", "font/woff2", "woff", "font/woff");

    private final String prefix;
    private boolean swallowing;

    private AdminUiFiles(String path) {
        this.prefix = path;
    }

    /**
     * The routes of a server that serves the UI at {@code path} (and redirects {@code path} to {@code path/}) and
     * answers 404 to any other request that is not the server's.
     *
     * @param path where, such as {@code /admin-ui}; not the Socket.IO path
     * @return routes for {@code SocketIoServer.listen(address, routes)}
     */
    public static Consumer<ChannelPipeline> at(String path) {
        checked(path);
        return pipeline -> {
            pipeline.addLast(newHandler(path));
            pipeline.addLast(new NotFoundHandler());
        };
    }

    /**
     * A handler serving the UI at {@code path}, for an application that adds routes of its own after it: requests
     * to other paths pass on.
     *
     * @param path where, such as {@code /admin-ui}
     * @return a new handler, for one connection's pipeline
     */
    public static ChannelInboundHandlerAdapter newHandler(String path) {
        return new AdminUiFiles(checked(path));
    }

    private static String checked(String path) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("path must start with '/' and not end with it: " + path);
        }
        return path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            boolean ours = path.equals(prefix) || path.startsWith(prefix + "/");
            if (!ours) {
                ctx.fireChannelRead(msg);
                return;
            }
            ReferenceCountUtil.release(msg);
            swallowing = !(msg instanceof LastHttpContent);
            respond(ctx, req, path);
            return;
        }
        if (swallowing && msg instanceof HttpContent) {
            swallowing = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest req, String path) {
        FullHttpResponse res;
        if (path.equals(prefix)) {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY,
                    Unpooled.EMPTY_BUFFER);
            res.headers().set(HttpHeaderNames.LOCATION, prefix + "/");
        } else if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    Unpooled.EMPTY_BUFFER);
            res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            String file = path.substring(prefix.length() + 1);
            if (file.isEmpty()) {
                file = "index.html";
            }
            Optional<byte[]> body = FILE.matcher(file).matches() ? load(file) : Optional.empty();
            if (body.isEmpty()) {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.copiedBuffer("not found", StandardCharsets.UTF_8));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            } else {
                byte[] bytes = body.get();
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        req.method() == HttpMethod.HEAD ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
                String ext = file.substring(file.lastIndexOf('.') + 1);
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
                res.headers().set(HttpHeaderNames.CACHE_CONTROL, file.equals("index.html") ? "no-cache"
                        : "public, max-age=86400");
                HttpUtil.setContentLength(res, bytes.length);
            }
        }
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("X-Frame-Options", "DENY");
        if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(res, res.content().readableBytes());
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The file, read from the jar once; names that are not there are not remembered (the cache stays small). */
    private static Optional<byte[]> load(String file) {
        Optional<byte[]> cached = CACHE.get(file);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = AdminUiFiles.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            if (file.equals("index.html")) {
                String page = new String(bytes, StandardCharsets.UTF_8);
                page = ICONS.matcher(page).replaceAll(LOCAL_ICONS);
                bytes = EXTERNAL_STYLESHEET.matcher(page).replaceAll("").getBytes(StandardCharsets.UTF_8);
            }
            Optional<byte[]> found = Optional.of(bytes);
            CACHE.put(file, found);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
