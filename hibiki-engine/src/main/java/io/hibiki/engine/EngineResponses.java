package io.hibiki.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the Engine.IO endpoint's HTTP responses, each with CORS headers and keep-alive handled alike. */
final class EngineResponses {

    static final String TEXT_PLAIN = "text/plain; charset=UTF-8";

    /** How long a connection being closed keeps draining the client's unread request body. */
    private static final long LINGER_MILLIS = 2000;

    private static final Logger log = LoggerFactory.getLogger(EngineResponses.class);

    private final EngineOptions options;
    private final HttpDates dates = new HttpDates();
    /** {@code Keep-Alive} of a kept-alive answer: how long an idle connection stays, as Node says it. */
    private final String keepAliveHeader;
    /** The application's hooks on response headers (Node's "initial_headers" and "headers"); null for none. */
    private volatile BiConsumer<HttpHeaders, HttpRequest> initialHeadersHook;
    private volatile BiConsumer<HttpHeaders, HttpRequest> headersHook;

    EngineResponses(EngineOptions options) {
        this.options = options;
        this.keepAliveHeader = "timeout=" + Math.max(1, options.keepAliveTimeout().toSeconds());
    }

    void initialHeadersHook(BiConsumer<HttpHeaders, HttpRequest> hook) {
        this.initialHeadersHook = hook;
    }

    void headersHook(BiConsumer<HttpHeaders, HttpRequest> hook) {
        this.headersHook = hook;
    }

    /**
     * Lets the application's hooks add to a session response's headers: the handshake's ({@code initial}) get
     * the initial hook first, every one gets the other, as Node emits them. A hook that throws is logged, and the
     * answer goes out with what it had added by then. Returns {@code h}, or new headers when {@code h} is null and
     * a hook ran.
     */
    HttpHeaders applyHooks(HttpHeaders h, HttpRequest req, boolean initial) {
        BiConsumer<HttpHeaders, HttpRequest> first = initial ? initialHeadersHook : null;
        BiConsumer<HttpHeaders, HttpRequest> every = headersHook;
        if (first == null && every == null) {
            return h;
        }
        HttpHeaders target = h != null ? h : new DefaultHttpHeaders();
        try {
            if (first != null) {
                first.accept(target, req);
            }
            if (every != null) {
                every.accept(target, req);
            }
        } catch (RuntimeException e) {
            log.warn("a response headers hook failed", e);
        }
        return target;
    }

    void error(HttpExchange ex, EngineError error) {
        send(ex, error.status(), Unpooled.copiedBuffer(error.json(), CharsetUtil.UTF_8), "application/json");
    }

    /** 403, error 4 with the application's own message (Node's allowRequest callback message). */
    void forbidden(HttpExchange ex, String message) {
        send(ex, EngineError.FORBIDDEN.status(),
                Unpooled.copiedBuffer(EngineError.FORBIDDEN.json(message), CharsetUtil.UTF_8), "application/json");
    }

    /** 413 for a body over {@code maxHttpBufferSize}; the connection closes since the rest of the body is unread. */
    void payloadTooLarge(HttpExchange ex) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.EMPTY_BUFFER);
        applyCors(ex.request(), res.headers());
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ex.send(res, false);
    }

    /**
     * Closes after an answer sent before the request body was read. Closing with unread bytes in the kernel
     * buffer makes the kernel send RST, which can destroy the answer before the client reads it; so stop
     * writing (FIN), keep discarding what arrives, and close when the client does or after a short grace.
     */
    static void lingeringClose(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        // Under TLS the close must go through the pipeline (close_notify); a raw FIN would bypass it.
        if (channel instanceof DuplexChannel duplex && channel.pipeline().get(SslHandler.class) == null) {
            duplex.shutdownOutput();
            ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS,
                    TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> deadline.cancel(false));
        } else {
            channel.close();
        }
    }

    void ok(HttpExchange ex) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("ok", CharsetUtil.US_ASCII));
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        applyHooks(res.headers(), ex.request(), false);
        finish(ex, res, "text/html");
    }

    /**
     * A bare 400, no body: what Node answers a second poll or POST of a session while one is still open, which
     * ends the session (the request itself was well formed, so the error table's JSON does not apply).
     */
    void overlap(HttpExchange ex) {
        finish(ex, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.EMPTY_BUFFER), null);
    }

    /** A polling payload, compressed when configured and worth it. */
    void payload(HttpExchange ex, ByteBuf body, HttpHeaders extra, boolean compressible, boolean initial) {
        HttpRequest req = ex.request();
        String encoding = null;
        if (compressible && options.httpCompression() && body.readableBytes() >= options.httpCompressionThreshold()) {
            encoding = AcceptEncoding.preferred(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            if (encoding != null) {
                body = compress(ex, body, encoding);
            }
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        if (extra != null) {
            res.headers().add(extra);
        }
        if (encoding != null) {
            res.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        }
        // A proxy must not cache a poll's answer and hand it to the next poll.
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        applyHooks(res.headers(), req, initial);
        finish(ex, res, TEXT_PLAIN);
    }

    void send(HttpExchange ex, HttpResponseStatus status, ByteBuf body, String type) {
        finish(ex, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body), type);
    }

    /** Writes an answer with the headers every answer carries; {@code type} null for a body-less one. */
    private void finish(HttpExchange ex, FullHttpResponse res, String type) {
        HttpRequest req = ex.request();
        HttpHeaders h = res.headers();
        if (type != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        applyCors(req, h);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        h.set(HttpHeaderNames.DATE, dates.now());
        if (keepAlive) {
            // As Node: say how long an idle connection is kept, so a client does not reuse one we are closing.
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            h.set(HttpHeaderNames.KEEP_ALIVE, keepAliveHeader);
        } else {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ex.send(res, keepAlive);
    }

    /** Answers a CORS preflight. */
    void preflight(HttpExchange ex) {
        HttpRequest req = ex.request();
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        HttpHeaders h = res.headers();
        CorsOptions cors = options.cors();
        if (applyCors(req, h)) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, String.join(",", cors.methods()));
            String requested = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            if (cors.allowedHeaders() != null) {
                h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, String.join(",", cors.allowedHeaders()));
            } else if (requested != null) {
                h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
                h.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            }
            if (cors.maxAgeSeconds() >= 0) {
                h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAgeSeconds());
            }
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ex.send(res, true);
    }

    /** Adds the CORS response headers when the request's origin is allowed; returns whether it is. */
    boolean applyCors(HttpRequest req, HttpHeaders h) {
        CorsOptions cors = options.cors();
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (cors.anyOrigin()) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            return true;
        }
        if (origin == null || !cors.allows(origin)) {
            return false;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (cors.credentials()) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        return true;
    }

    private static ByteBuf compress(HttpExchange ex, ByteBuf body, String encoding) {
        ByteBuf out = ex.alloc().buffer(body.readableBytes() / 2 + 64);
        try (OutputStream os = new io.netty.buffer.ByteBufOutputStream(out);
             DeflaterOutputStream z = "gzip".equals(encoding) ? new GZIPOutputStream(os) : new DeflaterOutputStream(os)) {
            body.readBytes(z, body.readableBytes());
        } catch (IOException e) {
            // Writing to memory cannot fail; keep the compiler satisfied.
            throw new IllegalStateException(e);
        } finally {
            body.release();
        }
        return out;
    }
}
