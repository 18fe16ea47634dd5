package io.hibiki.chat.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.chat.upload.UploadStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's own HTTP routes, after Socket.IO in the pipeline: the web UI, {@code GET /api/socket} (the seed's
 * client calls it before connecting), {@code POST /api/uploads} and {@code GET /uploads/<name>}. Disk work runs
 * on the worker executor, never on the event loop.
 */
public final class ChatHttpHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ChatHttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for multipart boundaries and headers around the file itself. */
    private static final int MULTIPART_OVERHEAD = 64 * 1024;
    /** How much of a refused body is read (and dropped) so the client gets the answer before the close. */
    private static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private final UploadStore uploads;
    private final StaticFiles web;
    private final Executor workers;
    private final long maxBody;
    private final List<String> allowedOrigins;

    private HttpRequest request;
    private CompositeByteBuf body;
    private boolean discarding;
    private boolean closeAfterDiscarding;
    private long discarded;

    public ChatHttpHandler(UploadStore uploads, StaticFiles web, Executor workers, long maxUploadBytes,
                           List<String> allowedOrigins) {
        this.uploads = uploads;
        this.web = web;
        this.workers = workers;
        this.maxBody = maxUploadBytes + MULTIPART_OVERHEAD;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                onRequest(ctx, req);
            }
            if (msg instanceof HttpContent content && request != null) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        request = req;
        discarding = false;
        closeAfterDiscarding = false;
        discarded = 0;
        if (req.method().equals(HttpMethod.POST) && path(req).equals("/api/uploads")) {
            if (!sameSiteOrAllowed(req)) {
                discarding = true;
                json(ctx, req, HttpResponseStatus.FORBIDDEN, error("forbidden_origin", "uploads from this origin are refused"));
                return;
            }
            long declared = HttpUtil.getContentLength(req, -1L);
            if (declared > maxBody) {
                discarding = true;
                // A client that waits for "100 Continue" sends no body: close at once. Any other is sending it.
                tooLarge(ctx, req, !HttpUtil.is100ContinueExpected(req));
                return;
            }
            body = ctx.alloc().compositeBuffer(1024);
            if (HttpUtil.is100ContinueExpected(req)) {
                // The client (curl, for one) waits for this before it sends the file.
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                        ctx.voidPromise());
            }
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        HttpRequest req = request;
        if (discarding) {
            discarded += content.content().readableBytes();
            if (last) {
                request = null;
            }
            if (closeAfterDiscarding && (last || discarded > DISCARD_LIMIT)) {
                closeAfterDiscarding = false;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (body != null) {
            if (body.readableBytes() + content.content().readableBytes() > maxBody) {
                body.release();
                body = null;
                discarding = !last;
                if (last) {
                    request = null;
                }
                tooLarge(ctx, req, !last);
                return;
            }
            body.addComponent(true, content.content().retain());
        }
        if (!last) {
            return;
        }
        request = null;
        if (body != null) {
            ByteBuf b = body;
            body = null;
            FullHttpRequest full = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(), b,
                    req.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
            workers.execute(() -> upload(ctx, full));
            return;
        }
        route(ctx, req);
    }

    private void route(ChannelHandlerContext ctx, HttpRequest req) {
        String path = path(req);
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            send(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, new byte[0], "text/plain", Map.of());
            return;
        }
        if (path.equals("/api/socket")) {
            send(ctx, req, HttpResponseStatus.OK, new byte[0], "text/plain", Map.of());
        } else if (path.startsWith("/uploads/")) {
            String name = path.substring("/uploads/".length());
            workers.execute(() -> serveUpload(ctx, req, name));
        } else {
            Optional<byte[]> file = web.get(path);
            if (file.isPresent()) {
                send(ctx, req, HttpResponseStatus.OK, file.get(), StaticFiles.contentType(path), Map.of(
                        "Cache-Control", "no-cache",
                        "Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; "
                                + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'"));
            } else {
                send(ctx, req, HttpResponseStatus.NOT_FOUND, "not found".getBytes(StandardCharsets.UTF_8),
                        "text/plain; charset=utf-8", Map.of());
            }
        }
    }

    private void upload(ChannelHandlerContext ctx, FullHttpRequest req) {
        try {
            Optional<UploadBody> file = UploadBody.read(req);
            if (file.isEmpty()) {
                json(ctx, req, HttpResponseStatus.BAD_REQUEST, error("no_file", "send one file field"));
                return;
            }
            byte[] data = file.get().data();
            String type = file.get().type();
            String name = file.get().name();
            if (data.length == 0) {
                json(ctx, req, HttpResponseStatus.BAD_REQUEST, error("empty_file", "the file is empty"));
            } else if (data.length > uploads.maxBytes()) {
                tooLarge(ctx, req, false);
            } else if (!UploadStore.accepts(type)) {
                json(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                        error("unsupported_type", "accepted: PNG, JPEG, GIF, WebP, PDF, plain text"));
            } else {
                UploadStore.Stored stored = uploads.store(data, type, name);
                Map<String, Object> ok = new LinkedHashMap<>();
                ok.put("ok", true);
                ok.put("url", stored.url());
                ok.put("name", stored.name());
                ok.put("type", stored.type());
                ok.put("size", stored.size());
                json(ctx, req, HttpResponseStatus.CREATED, ok);
            }
        } catch (Exception e) {
            log.warn("upload failed", e);
            json(ctx, req, HttpResponseStatus.BAD_REQUEST, error("bad_upload", "the upload could not be read"));
        } finally {
            req.release();
        }
    }

    private void serveUpload(ChannelHandlerContext ctx, HttpRequest req, String name) {
        Optional<UploadStore.StoredFile> file = uploads.open(name);
        if (file.isEmpty()) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, "not found".getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8", Map.of());
            return;
        }
        try {
            UploadStore.StoredFile f = file.get();
            byte[] data = Files.readAllBytes(f.path());
            send(ctx, req, HttpResponseStatus.OK, data, f.contentType(), Map.of(
                    "Content-Disposition", f.image() ? "inline" : "attachment",
                    "Content-Security-Policy", "default-src 'none'; sandbox",
                    "Cache-Control", "private, max-age=31536000, immutable"));
        } catch (java.io.IOException e) {
            log.warn("cannot read upload {}", name, e);
            send(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, new byte[0], "text/plain", Map.of());
        }
    }

    private boolean sameSiteOrAllowed(HttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || allowedOrigins.contains(origin)) {
            return true;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    /**
     * Answers 413 and closes the connection: at once when the body has been read, else once the rest of it has
     * been read and dropped (closing with unread data makes the kernel reset the connection, and the client
     * would then see a network error instead of the answer).
     */
    private void tooLarge(ChannelHandlerContext ctx, HttpRequest req, boolean bodyPending) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(toJson(error("too_large", "files are at most " + uploads.maxBytes() + " bytes"))));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        if (bodyPending) {
            closeAfterDiscarding = true;
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void json(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, Map<String, Object> body) {
        send(ctx, req, status, toJson(body), "application/json", Map.of());
    }

    private static byte[] toJson(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    private static void send(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, byte[] body,
                             String type, Map<String, String> headers) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("Referrer-Policy", "no-referrer");
        headers.forEach((k, v) -> res.headers().set(k, v));
        if (HttpUtil.isKeepAlive(req)) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String path(HttpRequest req) {
        return new QueryStringDecoder(req.uri()).path();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.release();
            body = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed: {}", cause.toString());
        ctx.close();
    }
}
