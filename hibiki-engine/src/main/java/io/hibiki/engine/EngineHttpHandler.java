package io.hibiki.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes HTTP requests for the Engine.IO path: verifies them (the engine.io error table), answers CORS
 * preflights, starts sessions, hands polls and posts to their session, and turns WebSocket requests into
 * WebSocket channels. Requests for other paths pass through untouched to the next handler, so an application
 * can serve its own routes on the same port.
 */
final class EngineHttpHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(EngineHttpHandler.class);

    private enum Mode { IDLE, PASS_THROUGH, SKIP_BODY, POST_BODY, WEBSOCKET, CHECKING, CLOSING }

    private final EngineServer server;
    private final EngineOptions options;
    private final EngineResponses responses;

    private Mode mode = Mode.IDLE;
    private HttpRequest request;
    /** The request being answered by this handler, and where its answer goes. */
    private HttpExchange exchange;
    private EngineSession target;
    private CompositeByteBuf body;
    private EngineRequest handshakeInfo;
    /** Whether the request being checked by allowRequestAsync has been read to its end. */
    private boolean lastContentSeen;
    /** The session transport that may hold a poll of this connection; written on the session's loop. */
    private volatile PollingTransport waitingPoll;
    /** The request of that poll. */
    private volatile HttpExchange waitingExchange;
    /** The POST whose body this connection is reading, if any. */
    private PostSlot post;

    /**
     * Which transport took a POST when it started: set and read on the session's loop, by the tasks of that one
     * request (a keep-alive connection may carry the next request for another session, on another loop).
     */
    private static final class PostSlot {
        PollingTransport owner;
        HttpExchange exchange;
    }

    EngineHttpHandler(EngineServer server) {
        this.server = server;
        this.options = server.options();
        this.responses = server.responses();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (mode == Mode.CLOSING || outputShut(ctx)) {
            // The connection is closing after an answer that said so: nothing more is read from it, and nothing
            // could be answered.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (mode == Mode.CHECKING && msg instanceof HttpRequest) {
            // A request pipelined behind a handshake still being checked: no client does that; end it plainly.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpRequest req) {
            onRequest(ctx, req);
            if (mode == Mode.PASS_THROUGH) {
                ctx.fireChannelRead(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (mode == Mode.PASS_THROUGH) {
                if (content instanceof LastHttpContent) {
                    mode = Mode.IDLE;
                }
                ctx.fireChannelRead(msg);
                return;
            }
            onContent(ctx, content);
            return;
        }
        if (!(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path;
        try {
            path = qs.path();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        if (path != null && !options.servesPath(path)) {
            // Another route's request, whatever its query holds: the application's handlers judge it.
            mode = Mode.PASS_THROUGH;
            return;
        }
        Map<String, List<String>> query;
        try {
            query = path == null ? null : qs.parameters();
        } catch (IllegalArgumentException e) {
            // A malformed percent-escape: answer it like any other bad request rather than dropping the connection.
            query = null;
        }
        request = req;
        exchange = new ChannelExchange(ctx, req);
        mode = Mode.SKIP_BODY;
        if (query == null || !req.decoderResult().isSuccess()) {
            fail(ctx, EngineError.BAD_REQUEST, "undecodable request");
            return;
        }
        if (req.method().equals(HttpMethod.OPTIONS)) {
            responses.preflight(exchange);
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && options.cors().enforce() && !options.cors().allows(origin)
                && !sameOrigin(origin, req.headers().get(HttpHeaderNames.HOST))) {
            fail(ctx, EngineError.FORBIDDEN, "origin not allowed: " + origin);
            return;
        }
        Transport transport = Transport.fromWireName(first(query, "transport"));
        if (transport == null || !options.transports().contains(transport)) {
            fail(ctx, EngineError.UNKNOWN_TRANSPORT, "transport " + first(query, "transport"));
            return;
        }
        boolean wsUpgrade = "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
        String sid = first(query, "sid");
        if (sid != null) {
            onSessionRequest(ctx, req, sid, transport, wsUpgrade);
        } else {
            onHandshake(ctx, req, query, transport, wsUpgrade);
        }
    }

    private void onSessionRequest(ChannelHandlerContext ctx, HttpRequest req, String sid, Transport transport,
                                  boolean wsUpgrade) {
        EngineSession session = server.session(sid);
        if (session == null) {
            fail(ctx, EngineError.UNKNOWN_SID, "sid " + sid);
            return;
        }
        if (wsUpgrade) {
            if (transport != Transport.WEBSOCKET || !options.allowUpgrades()) {
                fail(ctx, EngineError.BAD_REQUEST, "upgrade not allowed");
                return;
            }
            target = session;
            mode = Mode.WEBSOCKET;
            return;
        }
        if (transport != Transport.POLLING) {
            fail(ctx, EngineError.BAD_REQUEST, "websocket request without upgrade");
            return;
        }
        HttpExchange ex = exchange;
        if (req.method().equals(HttpMethod.GET)) {
            session.executeInOrder(() -> {
                if (session.currentTransport() instanceof PollingTransport polling) {
                    waitingPoll = polling;
                    waitingExchange = ex;
                    polling.onPoll(ex);
                } else {
                    responses.error(ex, EngineError.BAD_REQUEST);
                }
            });
        } else if (req.method().equals(HttpMethod.POST)) {
            if ("application/octet-stream".equals(req.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
                // Engine.IO v4 sends binary as base64 text; a binary body is a v3 client or garbage.
                fail(ctx, EngineError.BAD_REQUEST, "binary POST body");
                return;
            }
            long declared = HttpUtil.getContentLength(req, -1L);
            if (declared > options.maxHttpBufferSize()) {
                tooLarge(ctx, session);
                return;
            }
            target = session;
            body = ctx.alloc().compositeBuffer(64);
            mode = Mode.POST_BODY;
            PostSlot slot = new PostSlot();
            slot.exchange = ex;
            post = slot;
            session.executeInOrder(() -> {
                if (session.currentTransport() instanceof PollingTransport polling) {
                    slot.owner = polling;
                    polling.onDataStart(ex);
                } else {
                    responses.error(ex, EngineError.BAD_REQUEST);
                }
            });
        } else {
            fail(ctx, EngineError.BAD_REQUEST, "method " + req.method());
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, HttpRequest req, Map<String, List<String>> query,
                             Transport transport, boolean wsUpgrade) {
        // The order of the checks is Node's, so a request failing several gets the same error code from both.
        if (!req.method().equals(HttpMethod.GET)) {
            fail(ctx, EngineError.BAD_HANDSHAKE_METHOD, "method " + req.method());
            return;
        }
        if ((transport == Transport.WEBSOCKET) != wsUpgrade) {
            fail(ctx, EngineError.BAD_REQUEST, "transport does not match upgrade header");
            return;
        }
        // Kept for the session's life: a compact copy rather than Netty's decoded headers.
        // A WebSocket-only client's handshake URI is the same for all of them; a polling one carries a cache-busting
        // "t", which would only fill the shared table.
        SharedStrings shared = server.handshakeStrings();
        String uri = transport == Transport.WEBSOCKET ? shared.share(req.uri()) : req.uri();
        java.net.SocketAddress client = ClientAddress.resolve(ctx.channel().remoteAddress(), req.headers(),
                options.trustedProxies());
        boolean secure = ClientAddress.usedHttps(ctx.channel(), req.headers(), options.trustedProxies());
        EngineRequest info = new EngineRequest(uri, HandshakeHeaders.copyOf(req.headers(), shared),
                client, secure, Instant.now());
        boolean warmup = server.isWarmup(ctx.channel());
        boolean allowed;
        try {
            // The warm-up's own sessions are no client's: the application's admission rule does not see them.
            allowed = warmup || options.allowRequest().test(info);
        } catch (RuntimeException e) {
            log.warn("allowRequest failed; refusing the handshake", e);
            allowed = false;
        }
        if (!allowed) {
            fail(ctx, EngineError.FORBIDDEN, "refused by allowRequest");
            return;
        }
        var check = warmup ? null : options.allowRequestAsync();
        if (check != null) {
            checkLater(ctx, req, query, transport, info, check);
            return;
        }
        admit(ctx, req, query, transport, info, warmup);
    }

    /**
     * The asynchronous check: nothing more is read from the connection until it answers; its answer continues the
     * handshake on the connection's loop.
     */
    private void checkLater(ChannelHandlerContext ctx, HttpRequest req, Map<String, List<String>> query,
                            Transport transport, EngineRequest info,
                            Function<EngineRequest, CompletionStage<String>> check) {
        mode = Mode.CHECKING;
        lastContentSeen = false;
        boolean hostAutoRead = ctx.channel().config().isAutoRead();
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<String> decision;
        try {
            decision = check.apply(info).toCompletableFuture();
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        decision.orTimeout(EngineOptions.ALLOW_REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((refusal, error) -> ctx.executor().execute(() -> {
                    if (hostAutoRead) {
                        ctx.channel().config().setAutoRead(true);
                    } else {
                        ctx.read();
                    }
                    if (!ctx.channel().isActive()) {
                        return;
                    }
                    boolean last = lastContentSeen;
                    mode = last ? Mode.IDLE : Mode.SKIP_BODY;
                    request = req;
                    exchange = new ChannelExchange(ctx, req);
                    if (error != null) {
                        log.warn("allowRequestAsync failed or took too long; refusing the handshake: {}",
                                error.toString());
                        fail(ctx, EngineError.FORBIDDEN, "allowRequestAsync failed");
                    } else if (refusal != null) {
                        log.debug("{} {}: refused by allowRequestAsync: {}", req.method(), req.uri(), refusal);
                        responses.forbidden(exchange, refusal);
                    } else {
                        admit(ctx, req, query, transport, info, false);
                        if (mode == Mode.WEBSOCKET && last) {
                            // The request's end came while the check ran: the upgrade need not wait for it.
                            upgrade(ctx);
                        }
                    }
                }));
    }

    /** The checks after the application's: protocol version, then the per-address limits; then the session. */
    private void admit(ChannelHandlerContext ctx, HttpRequest req, Map<String, List<String>> query,
                       Transport transport, EngineRequest info, boolean warmup) {
        java.net.SocketAddress client = info.remoteAddress();
        if (!"4".equals(first(query, "EIO"))) {
            fail(ctx, EngineError.UNSUPPORTED_PROTOCOL_VERSION, "EIO=" + first(query, "EIO"));
            return;
        }
        String refusal = warmup ? null : server.admission().refusal(client);
        if (refusal != null) {
            fail(ctx, EngineError.FORBIDDEN, refusal);
            return;
        }
        if (transport == Transport.WEBSOCKET) {
            mode = Mode.WEBSOCKET;
            target = null;
            handshakeInfo = info;
            return;
        }
        EngineSession session = server.newSession(info, ctx.channel().eventLoop());
        PollingTransport polling = new PollingTransport(session, responses, SessionCookieHeader.headers(options, session.id(), info));
        session.open(polling);
        server.fireConnection(session, warmup);
        waitingPoll = polling;
        waitingExchange = exchange;
        polling.onPoll(exchange);
    }


    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        switch (mode) {
            case POST_BODY -> {
                ByteBuf chunk = content.content();
                if (body.readableBytes() + chunk.readableBytes() > options.maxHttpBufferSize()) {
                    content.release();
                    body.release();
                    body = null;
                    tooLarge(ctx, target);
                    return;
                }
                body.addComponent(true, chunk.retain());
                content.release();
                if (last) {
                    String text = body.toString(CharsetUtil.UTF_8);
                    body.release();
                    body = null;
                    mode = Mode.IDLE;
                    EngineSession session = target;
                    HttpRequest req = request;
                    target = null;
                    PostSlot slot = post;
                    post = null;
                    session.executeInOrder(() -> {
                        if (slot.owner != null) {
                            slot.owner.onData(slot.exchange, text);
                        }
                    });
                }
            }
            case WEBSOCKET -> {
                content.release();
                if (last) {
                    upgrade(ctx);
                }
            }
            case CHECKING -> {
                // The request's end, while the application's check decides: remembered for when it has.
                content.release();
                if (last) {
                    lastContentSeen = true;
                }
            }
            case CLOSING -> content.release();
            default -> {
                content.release();
                if (last) {
                    mode = Mode.IDLE;
                }
            }
        }
    }

    private void upgrade(ChannelHandlerContext ctx) {
        mode = Mode.IDLE;
        FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), io.netty.buffer.Unpooled.EMPTY_BUFFER, request.headers(),
                io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        EngineRequest info = handshakeInfo;
        WebSocketUpgrade.perform(server, ctx, full, target, info, sid -> SessionCookieHeader.headers(options, sid, info));
        target = null;
        handshakeInfo = null;
    }

    private void tooLarge(ChannelHandlerContext ctx, EngineSession session) {
        log.debug("POST over maxHttpBufferSize ({} bytes) for session {}", options.maxHttpBufferSize(), session.id());
        responses.payloadTooLarge(exchange);
        // As Node: the 413 is the answer, and the session is left as it was (its poll still waits). The official
        // client treats the 413 as a transport error and reconnects; the message is not taken silently.
        PostSlot slot = post;
        post = null;
        session.executeInOrder(() -> {
            if (slot != null && slot.owner != null) {
                slot.owner.onDataAnswered(slot.exchange);
            }
        });
        mode = Mode.CLOSING;
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private static boolean outputShut(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof DuplexChannel duplex && duplex.isOutputShutdown();
    }

    private void fail(ChannelHandlerContext ctx, EngineError error, String detail) {
        log.debug("{} {}: {} ({})", request.method(), request.uri(), error.message(), detail);
        responses.error(exchange, error);
    }

    /**
     * A host that reads on demand (Reactor Netty, under WebFlux, turns autoRead off and reads again when its own
     * handlers want more) never asks for the rest of a request Hibiki has taken, nor for the connection's next
     * request: ask for them here. Hibiki's own server reads automatically, and this is one flag test per read.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (mode != Mode.PASS_THROUGH && mode != Mode.CHECKING && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.release();
            body = null;
            EngineSession session = target;
            PostSlot slot = post;
            post = null;
            if (session != null && slot != null) {
                session.executeInOrder(() -> {
                    if (slot.owner != null) {
                        slot.owner.onDataConnectionClosed(slot.exchange);
                    }
                });
            }
        }
        PollingTransport poll = waitingPoll;
        if (poll != null) {
            HttpExchange ex = waitingExchange;
            waitingPoll = null;
            waitingExchange = null;
            poll.sessionExecute(() -> poll.onPollConnectionClosed(ex));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** Browsers send Origin on same-origin WebSocket and POST requests too; those are never cross-site. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        int scheme = origin.indexOf("://");
        return scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    static String first(Map<String, List<String>> query, String key) {
        List<String> v = query.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
