package io.hibiki.engine;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a host other than Hibiki's Netty server sees it (a servlet container: {@code hibiki-servlet}).
 * The host hands over whole HTTP requests for the Engine.IO path and opens WebSocket connections when told to;
 * everything else (handshake, the error table, CORS, limits, polling, upgrades, heartbeats) is the same session
 * logic as on Netty. Sessions of hosted requests run on a few event loops of the server's own.
 *
 * <p>What differs from Netty hosting: the host reads request bodies and frames answers; the WebSocket handshake's
 * response is the host's (no session cookie or header hooks on it); Node's {@code initial_headers} apply to polling.
 */
public final class EngineHost {

    private static final Logger log = LoggerFactory.getLogger(EngineHost.class);

    private final EngineServer server;
    private final EngineOptions options;
    private final EngineResponses responses;

    /**
     * @param server the engine whose sessions the host's requests open and reach
     */
    public EngineHost(EngineServer server) {
        this.server = server;
        this.options = server.options();
        this.responses = server.responses();
    }

    /**
     * Whether a request path is the engine's.
     *
     * @param path the request path, without the query
     * @return {@code true} when {@link #handle} or {@link #checkUpgrade} should take the request
     */
    public boolean serves(String path) {
        return options.servesPath(path);
    }

    /**
     * Whether a request asks for a WebSocket ({@code Upgrade: websocket}): such requests go to
     * {@link #checkUpgrade}, the others to {@link #handle}.
     *
     * @param headers the request headers
     * @return {@code true} for a WebSocket handshake
     */
    public static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return "websocket".equalsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE));
    }

    /**
     * Handles an HTTP request that is not a WebSocket handshake (polling, CORS preflight, or one to refuse).
     *
     * @param request the request; answered through {@link HostRequest#respond} now or later (a poll waits)
     * @param body    the request body as read by the host, at most {@code maxHttpBufferSize} + 1 bytes (more is
     *                answered 413); empty when there is none
     * @return what the host calls if the client goes away before the answer (a waiting poll); never {@code null}
     */
    public Runnable handle(HostRequest request, byte[] body) {
        HostExchange ex = new HostExchange(request);
        HttpRequest req = ex.request();
        Map<String, List<String>> query = checkedQuery(ex);
        if (query == null) {
            return () -> { };
        }
        if (req.method().equals(HttpMethod.OPTIONS)) {
            responses.preflight(ex);
            return () -> { };
        }
        Transport transport = checkedTransport(ex, query);
        if (transport == null) {
            return () -> { };
        }
        String sid = EngineHttpHandler.first(query, "sid");
        if (sid == null) {
            handshake(ex, query, transport);
            return () -> { };
        }
        EngineSession session = server.session(sid);
        if (session == null) {
            fail(ex, EngineError.UNKNOWN_SID, "sid " + sid);
            return () -> { };
        }
        if (transport != Transport.POLLING) {
            fail(ex, EngineError.BAD_REQUEST, "websocket request without upgrade");
            return () -> { };
        }
        if (req.method().equals(HttpMethod.GET)) {
            PollingTransport[] polled = new PollingTransport[1];
            session.executeInOrder(() -> {
                if (session.currentTransport() instanceof PollingTransport polling) {
                    polled[0] = polling;
                    polling.onPoll(ex);
                } else {
                    responses.error(ex, EngineError.BAD_REQUEST);
                }
            });
            return () -> session.executeInOrder(() -> {
                if (polled[0] != null) {
                    polled[0].onPollConnectionClosed(ex);
                }
            });
        }
        if (req.method().equals(HttpMethod.POST)) {
            if ("application/octet-stream".equals(req.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
                fail(ex, EngineError.BAD_REQUEST, "binary POST body");
            } else if (body.length > options.maxHttpBufferSize()) {
                responses.payloadTooLarge(ex);
            } else {
                String text = new String(body, StandardCharsets.UTF_8);
                session.executeInOrder(() -> {
                    if (session.currentTransport() instanceof PollingTransport polling) {
                        polling.onDataStart(ex);
                        polling.onData(ex, text);
                    } else {
                        responses.error(ex, EngineError.BAD_REQUEST);
                    }
                });
            }
            return () -> { };
        }
        fail(ex, EngineError.BAD_REQUEST, "method " + req.method());
        return () -> { };
    }

    /**
     * Checks a WebSocket handshake before the host upgrades the connection. When it is refused, the request has
     * been answered (the engine.io error table) and the stage completes with {@code null}.
     *
     * @param request the handshake request
     * @return completes with what to give {@link #open} once the host has upgraded the connection, or {@code null};
     *         it may complete later when the application checks handshakes asynchronously ({@code allowRequestAsync},
     *         at most its time limit)
     */
    public CompletionStage<HostUpgrade> checkUpgrade(HostRequest request) {
        HostExchange ex = new HostExchange(request);
        HttpRequest req = ex.request();
        Map<String, List<String>> query = checkedQuery(ex);
        Transport transport = query == null ? null : checkedTransport(ex, query);
        if (transport == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (transport != Transport.WEBSOCKET) {
            fail(ex, EngineError.BAD_REQUEST, "transport does not match upgrade header");
            return CompletableFuture.completedFuture(null);
        }
        String sid = EngineHttpHandler.first(query, "sid");
        if (sid != null) {
            EngineSession session = server.session(sid);
            if (session == null) {
                fail(ex, EngineError.UNKNOWN_SID, "sid " + sid);
                return CompletableFuture.completedFuture(null);
            }
            if (!options.allowUpgrades()) {
                fail(ex, EngineError.BAD_REQUEST, "upgrade not allowed");
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.completedFuture(new HostUpgrade(server, session.request(), session));
        }
        if (!req.method().equals(HttpMethod.GET)) {
            fail(ex, EngineError.BAD_HANDSHAKE_METHOD, "method " + req.method());
            return CompletableFuture.completedFuture(null);
        }
        EngineRequest info = requestInfo(ex, true);
        return allowed(ex, info).thenApply(ok -> ok && admitted(ex, query, info)
                ? new HostUpgrade(server, info, null) : null);
    }

    /**
     * Takes a WebSocket the host opened after {@link #checkUpgrade} accepted its handshake: a new session, or the
     * upgrade of a polling one.
     *
     * @param upgrade what {@link #checkUpgrade} completed with
     * @param socket  the open connection, for Hibiki to write to
     * @return what the host tells of the connection's messages and end
     */
    public HostWebSocketListener open(HostUpgrade upgrade, HostWebSocket socket) {
        EngineSession existing = upgrade.existing;
        if (existing == null) {
            EngineSession session = server.newSession(upgrade.info, server.hostLoop());
            HostWebSocketTransport ws = new HostWebSocketTransport(socket, session);
            session.execute(() -> {
                session.open(ws);
                server.fireConnection(session, false);
            });
            return ws;
        }
        HostWebSocketTransport ws = new HostWebSocketTransport(socket, existing);
        existing.execute(() -> {
            if (existing.canUpgrade()) {
                existing.startUpgrade(ws);
            } else {
                ws.discard();
            }
        });
        return ws;
    }

    // ---- the checks every request gets, in Node's order ----

    private Map<String, List<String>> checkedQuery(HostExchange ex) {
        try {
            return new QueryStringDecoder(ex.request().uri()).parameters();
        } catch (IllegalArgumentException e) {
            fail(ex, EngineError.BAD_REQUEST, "undecodable request");
            return null;
        }
    }

    /** The origin rule, then the transport; {@code null} when the request was refused. */
    private Transport checkedTransport(HostExchange ex, Map<String, List<String>> query) {
        HttpHeaders h = ex.request().headers();
        String origin = h.get(HttpHeaderNames.ORIGIN);
        if (origin != null && options.cors().enforce() && !options.cors().allows(origin)
                && !EngineHttpHandler.sameOrigin(origin, h.get(HttpHeaderNames.HOST))) {
            fail(ex, EngineError.FORBIDDEN, "origin not allowed: " + origin);
            return null;
        }
        Transport transport = Transport.fromWireName(EngineHttpHandler.first(query, "transport"));
        if (transport == null || !options.transports().contains(transport)) {
            fail(ex, EngineError.UNKNOWN_TRANSPORT, "transport " + EngineHttpHandler.first(query, "transport"));
            return null;
        }
        return transport;
    }

    private void handshake(HostExchange ex, Map<String, List<String>> query, Transport transport) {
        if (!ex.request().method().equals(HttpMethod.GET)) {
            fail(ex, EngineError.BAD_HANDSHAKE_METHOD, "method " + ex.request().method());
            return;
        }
        if (transport != Transport.POLLING) {
            fail(ex, EngineError.BAD_REQUEST, "transport does not match upgrade header");
            return;
        }
        EngineRequest info = requestInfo(ex, false);
        allowed(ex, info).thenAccept(ok -> {
            if (!ok || !admitted(ex, query, info)) {
                return;
            }
            EngineSession session = server.newSession(info, server.hostLoop());
            PollingTransport polling = new PollingTransport(session, responses, SessionCookieHeader.headers(options, session.id(), info));
            session.execute(() -> {
                session.open(polling);
                server.fireConnection(session, false);
                polling.onPoll(ex);
            });
        });
    }

    private EngineRequest requestInfo(HostExchange ex, boolean webSocket) {
        HostRequest host = ex.host();
        HttpHeaders headers = ex.request().headers();
        SharedStrings shared = server.handshakeStrings();
        String uri = webSocket ? shared.share(host.uri()) : host.uri();
        SocketAddress client = ClientAddress.resolve(host.remoteAddress(), headers, options.trustedProxies());
        boolean secure = host.secure()
                || ClientAddress.forwardedHttps(host.remoteAddress(), headers, options.trustedProxies());
        return new EngineRequest(uri, HandshakeHeaders.copyOf(headers, shared), client, secure, Instant.now());
    }

    /** The application's checks, {@code allowRequest} then {@code allowRequestAsync}; answers a refusal. */
    private CompletionStage<Boolean> allowed(HostExchange ex, EngineRequest info) {
        boolean allowed;
        try {
            allowed = options.allowRequest().test(info);
        } catch (RuntimeException e) {
            log.warn("allowRequest failed; refusing the handshake", e);
            allowed = false;
        }
        if (!allowed) {
            fail(ex, EngineError.FORBIDDEN, "refused by allowRequest");
            return CompletableFuture.completedFuture(false);
        }
        var check = options.allowRequestAsync();
        if (check == null) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<String> decision;
        try {
            decision = check.apply(info).toCompletableFuture();
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return decision.orTimeout(EngineOptions.ALLOW_REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((refusal, error) -> {
                    if (error != null) {
                        log.warn("allowRequestAsync failed or took too long; refusing the handshake: {}",
                                error.toString());
                        fail(ex, EngineError.FORBIDDEN, "allowRequestAsync failed");
                        return false;
                    }
                    if (refusal != null) {
                        responses.forbidden(ex, refusal);
                        return false;
                    }
                    return true;
                });
    }

    /** The protocol version, then the per-address limits. */
    private boolean admitted(HostExchange ex, Map<String, List<String>> query, EngineRequest info) {
        if (!"4".equals(EngineHttpHandler.first(query, "EIO"))) {
            fail(ex, EngineError.UNSUPPORTED_PROTOCOL_VERSION, "EIO=" + EngineHttpHandler.first(query, "EIO"));
            return false;
        }
        String refusal = server.admission().refusal(info.remoteAddress());
        if (refusal != null) {
            fail(ex, EngineError.FORBIDDEN, refusal);
            return false;
        }
        return true;
    }


    private void fail(HostExchange ex, EngineError error, String detail) {
        log.debug("{} {}: {} ({})", ex.request().method(), ex.request().uri(), error.message(), detail);
        responses.error(ex, error);
    }
}
