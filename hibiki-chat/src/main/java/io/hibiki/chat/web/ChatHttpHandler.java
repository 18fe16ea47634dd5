package io.hibiki.chat.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.chat.upload.UploadStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
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

    /** Requests a connection may have queued behind the one being answered (HTTP pipelining). */
    private static final int MAX_QUEUED = 32;

    private final UploadStore uploads;
    private final StaticFiles web;
    private final Executor workers;
    private final long maxBody;
    private final List<String> allowedOrigins;
    private final UploadPolicy policy;
    private final AuthRoutes auth;
    private final java.util.function.Predicate<java.net.InetAddress> trustedProxies;
    /** {@code GET /metrics}, or null when metrics are off. */
    private final MetricsRoute metrics;
    private final HealthProbe health;

    private HttpRequest request;
    private UploadReceiver receiving;
    /** The body of an account request being read; null when none is. */
    private java.io.ByteArrayOutputStream authBody;
    private boolean discarding;
    private boolean closeAfterDiscarding;
    private long discarded;
    /** A request is being answered: what arrives meanwhile waits in {@link #queued}, and reading pauses. */
    private boolean answering;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();

    public ChatHttpHandler(UploadStore uploads, StaticFiles web, Executor workers, long maxUploadBytes,
                           List<String> allowedOrigins, UploadPolicy policy, AuthRoutes auth,
                           java.util.function.Predicate<java.net.InetAddress> trustedProxies, MetricsRoute metrics,
                           HealthProbe health) {
        this.uploads = uploads;
        this.web = web;
        this.workers = workers;
        this.maxBody = maxUploadBytes + MULTIPART_OVERHEAD;
        this.allowedOrigins = allowedOrigins;
        this.policy = policy;
        this.auth = auth;
        this.trustedProxies = trustedProxies;
        this.metrics = metrics;
        this.health = health;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answering) {
            // One request at a time: a pipelined one waits (the codec has already decoded it) and the connection
            // reads no more until the answer is out, so a client that never reads cannot stack answers in memory.
            if (queued.size() >= MAX_QUEUED) {
                ReferenceCountUtil.release(msg);
                releaseQueued();
                ctx.close();
                return;
            }
            queued.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
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

    /** The answer to the current request is written: the next queued one (if any) goes. On the event loop. */
    private void answered(ChannelHandlerContext ctx) {
        answering = false;
        while (!answering && !queued.isEmpty()) {
            handle(ctx, queued.poll());
        }
        if (!answering && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void releaseQueued() {
        for (Object o = queued.poll(); o != null; o = queued.poll()) {
            ReferenceCountUtil.release(o);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        request = req;
        discarding = false;
        closeAfterDiscarding = false;
        discarded = 0;
        authBody = null;
        if (req.method().equals(HttpMethod.POST) && AuthRoutes.isAuthPath(path(req))) {
            if (!sameSiteOrAllowed(req)) {
                refuse(ctx, req, HttpResponseStatus.FORBIDDEN, "forbidden_origin", "requests from this origin are refused");
                return;
            }
            // JSON only: a form on another site cannot send it without the browser asking this server first.
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                refuse(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_type",
                        "send JSON (Content-Type: application/json)");
                return;
            }
            if (HttpUtil.getContentLength(req, -1L) > AuthRoutes.MAX_BODY) {
                refuse(ctx, req, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                        "account requests are at most " + AuthRoutes.MAX_BODY + " bytes");
                return;
            }
            authBody = new java.io.ByteArrayOutputStream();
            return;
        }
        if (req.method().equals(HttpMethod.POST) && path(req).equals("/api/uploads")) {
            if (!sameSiteOrAllowed(req)) {
                refuse(ctx, req, HttpResponseStatus.FORBIDDEN, "forbidden_origin", "uploads from this origin are refused");
                return;
            }
            long declared = HttpUtil.getContentLength(req, -1L);
            if (declared > maxBody) {
                discarding = true;
                answering = true;
                // A client that waits for "100 Continue" sends no body: close at once. Any other is sending it.
                tooLarge(ctx, req, !HttpUtil.is100ContinueExpected(req));
                return;
            }
            UploadPolicy.Decision decision = policy.admit(req.headers().get("X-Chat-User"),
                    req.headers().get("X-Chat-Token"), ctx.channel().remoteAddress(), req.headers(), declared);
            if (decision != UploadPolicy.Decision.ADMITTED) {
                refuse(ctx, req, decision.status(), decision.code(), decision.message());
                return;
            }
            try {
                receiving = new UploadReceiver(ctx.channel(), uploads.incoming(), workers);
            } catch (java.io.IOException e) {
                log.warn("cannot receive an upload", e);
                refuse(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "server_error", "uploads are unavailable");
                return;
            }
            if (HttpUtil.is100ContinueExpected(req)) {
                // The client (curl, for one) waits for this before it sends the file.
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                        ctx.voidPromise());
            }
        }
    }

    /** Answers a refused upload at once and drops its body as it arrives. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String code,
                        String message) {
        discarding = true;
        answering = true;
        json(ctx, req, status, error(code, message));
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
        if (authBody != null) {
            ByteBuf in = content.content();
            if (authBody.size() + in.readableBytes() > AuthRoutes.MAX_BODY) {
                authBody = null;
                discarding = !last;
                if (last) {
                    request = null;
                }
                answering = true;
                json(ctx, req, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        error("too_large", "account requests are at most " + AuthRoutes.MAX_BODY + " bytes"));
                return;
            }
            byte[] chunk = new byte[in.readableBytes()];
            in.getBytes(in.readerIndex(), chunk);
            authBody.writeBytes(chunk);
            if (!last) {
                return;
            }
            byte[] bytes = authBody.toByteArray();
            authBody = null;
            request = null;
            answering = true;
            AuthRoutes.Request r = authRequest(ctx, req);
            workers.execute(() -> answer(ctx, req, auth.post(r, bytes)));
            return;
        }
        if (receiving != null) {
            if (receiving.received() + content.content().readableBytes() > maxBody) {
                receiving.discard();
                receiving = null;
                discarding = !last;
                if (last) {
                    request = null;
                }
                answering = true;
                tooLarge(ctx, req, !last);
                return;
            }
            receiving.add(content.content().retain());
        }
        if (!last) {
            return;
        }
        request = null;
        answering = true;
        if (receiving != null) {
            UploadReceiver r = receiving;
            receiving = null;
            r.finish().whenComplete((file, e) -> {
                if (e != null) {
                    log.warn("upload not received", e);
                    json(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, error("server_error", "the upload failed"));
                } else {
                    upload(ctx, req, file);
                }
            });
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
        if (AuthRoutes.isAuthPath(path)) {
            AuthRoutes.Request r = authRequest(ctx, req);
            workers.execute(() -> answer(ctx, req, auth.get(r)));
        } else if (path.equals(MetricsRoute.PATH) && metrics != null) {
            // Only the direct peer can be this host: a relayed request is someone else's, even when the proxy's
            // forwarding header is missing or unreadable (then the resolved address would be the proxy's own).
            java.net.InetAddress peer = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                    ? a.getAddress() : null;
            boolean relayed = peer != null && trustedProxies != null && trustedProxies.test(peer);
            int status = metrics.admit(relayed ? null : peer, req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (status != 200) {
                send(ctx, req, HttpResponseStatus.valueOf(status), (status == 401 ? "a bearer token is needed"
                        : "metrics are for this host only").getBytes(StandardCharsets.UTF_8),
                        "text/plain; charset=utf-8", status == 401 ? Map.of("WWW-Authenticate", "Bearer") : Map.of());
            } else {
                workers.execute(() -> send(ctx, req, HttpResponseStatus.OK, metrics.body(), MetricsRoute.CONTENT_TYPE,
                        Map.of("Cache-Control", "no-store")));
            }
        } else if (path.equals("/api/health")) {
            health.check().whenComplete((found, e) -> {
                Map<String, Object> answer = e == null ? found : Map.of("status", "down");
                send(ctx, req, "up".equals(answer.get("status")) ? HttpResponseStatus.OK
                        : HttpResponseStatus.SERVICE_UNAVAILABLE, toJson(answer), "application/json",
                        Map.of("Cache-Control", "no-store"));
            });
        } else if (path.equals("/api/socket")) {
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

    /** On a worker: the body is on disk; checks it and moves it into the store. */
    private void upload(ChannelHandlerContext ctx, HttpRequest req, java.nio.file.Path body) {
        java.nio.file.Path file = null;
        try {
            Optional<UploadBody> found = UploadBody.read(req, body, uploads.incoming());
            if (found.isEmpty()) {
                json(ctx, req, HttpResponseStatus.BAD_REQUEST, error("no_file", "send one file field"));
                return;
            }
            file = found.get().file();
            long size = Files.size(file);
            String type = found.get().type();
            if (size == 0) {
                json(ctx, req, HttpResponseStatus.BAD_REQUEST, error("empty_file", "the file is empty"));
            } else if (size > uploads.maxBytes()) {
                tooLarge(ctx, req, false);
            } else if (!UploadStore.accepts(type)) {
                json(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                        error("unsupported_type", "accepted: PNG, JPEG, GIF, WebP, PDF, plain text"));
            } else {
                UploadStore.Stored stored;
                try {
                    stored = uploads.store(file, type, found.get().name());
                } catch (IllegalArgumentException e) {
                    json(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                            error("unsupported_type", "the file's content is not " + UploadStore.baseType(type)));
                    return;
                }
                file = null;
                Map<String, Object> ok = new LinkedHashMap<>();
                ok.put("ok", true);
                ok.put("url", stored.url());
                ok.put("name", stored.name());
                ok.put("type", stored.type());
                ok.put("size", stored.size());
                json(ctx, req, HttpResponseStatus.CREATED, ok);
            }
        } catch (Exception e) {
            log.debug("upload could not be read: {}", e.toString());
            json(ctx, req, HttpResponseStatus.BAD_REQUEST, error("bad_upload", "the upload could not be read"));
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(body);
            } catch (java.io.IOException ignored) {
                // swept with the orphans
            }
        }
    }

    private void serveUpload(ChannelHandlerContext ctx, HttpRequest req, String name) {
        Optional<UploadStore.StoredFile> file = uploads.open(name);
        if (file.isEmpty()) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, "not found".getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8", Map.of());
            return;
        }
        UploadStore.StoredFile f = file.get();
        java.io.RandomAccessFile raf = null;
        try {
            raf = new java.io.RandomAccessFile(f.path().toFile(), "r");
            long length = raf.length();
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
            res.headers().set("X-Content-Type-Options", "nosniff");
            res.headers().set("Referrer-Policy", "no-referrer");
            res.headers().set("Content-Disposition", f.image() ? "inline" : "attachment");
            res.headers().set("Content-Security-Policy", "default-src 'none'; sandbox");
            res.headers().set("Cache-Control", "private, max-age=31536000, immutable");
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            ctx.write(res);
            if (!req.method().equals(HttpMethod.HEAD)) {
                // Straight from the file to the socket as it drains (sendfile): the file is never in the heap.
                ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length));
                raf = null;
            }
            finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
        } catch (java.io.IOException e) {
            log.warn("cannot read upload {}", name, e);
            send(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, new byte[0], "text/plain", Map.of());
        } finally {
            if (raf != null) {
                try {
                    raf.close();
                } catch (java.io.IOException ignored) {
                    // read-only
                }
            }
        }
    }

    private AuthRoutes.Request authRequest(ChannelHandlerContext ctx, HttpRequest req) {
        java.net.SocketAddress from = io.hibiki.engine.ClientAddress.resolve(ctx.channel().remoteAddress(),
                req.headers(), trustedProxies);
        String address = from instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(from);
        return new AuthRoutes.Request(path(req), req.headers().get(HttpHeaderNames.COOKIE), address,
                io.hibiki.engine.ClientAddress.usedHttps(ctx.channel(), req.headers(), trustedProxies));
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest req, AuthRoutes.Answer a) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        if (!a.cookies().isEmpty()) {
            headers.put("Set-Cookie", a.cookies().get(0));
        }
        if (a.status() == 429) {
            headers.put("Retry-After", "60");
        }
        send(ctx, req, HttpResponseStatus.valueOf(a.status()), toJson(a.body()), "application/json", headers);
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
            // The rest of the body is read and dropped (not queued as a next request), then the connection closes.
            answering = false;
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

    private void send(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, byte[] body,
                             String type, Map<String, String> headers) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("Referrer-Policy", "no-referrer");
        headers.forEach((k, v) -> res.headers().set(k, v));
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        finish(ctx, ctx.writeAndFlush(res), keepAlive);
    }

    /** After the last of an answer is written: the next request, or the close the answer announced. */
    private void finish(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture written, boolean keepAlive) {
        written.addListener(f -> {
            if (!keepAlive || !f.isSuccess()) {
                ctx.close();
            } else {
                answered(ctx);
            }
        });
    }

    private static String path(HttpRequest req) {
        return new QueryStringDecoder(req.uri()).path();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (receiving != null) {
            receiving.discard();
            receiving = null;
        }
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed: {}", cause.toString());
        ctx.close();
    }
}
