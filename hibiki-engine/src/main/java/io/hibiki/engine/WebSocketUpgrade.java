package io.hibiki.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP connection into a WebSocket transport: the handshake, then a pipeline change (frame aggregation
 * with the size limit, the transport handler) in place of the HTTP routing handler.
 */
final class WebSocketUpgrade {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    private WebSocketUpgrade() {
    }

    /**
     * @param existing the polling session to upgrade, or {@code null} to open a new WebSocket-only session
     * @param info     the handshake request (for a new session)
     * @param cookie   the extra response headers (the session cookie) for a new session's id; may return
     *                 {@code null}
     */
    static void perform(EngineServer server, ChannelHandlerContext ctx, FullHttpRequest req, EngineSession existing,
                        EngineRequest info, Function<String, HttpHeaders> cookie) {
        Channel ch = ctx.channel();
        String scheme = ctx.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://";
        String url = scheme + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null,
                server.webSocketDecoderConfig()).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
            return;
        }
        WebSocketTransport ws = new WebSocketTransport(ch);
        // Mounted pipelines may not have set it; the slow-consumer rules depend on it.
        ch.config().setWriteBufferWaterMark(SlowConsumers.WATER_MARK);
        EngineSession session = existing != null ? existing : server.newSession(info, ch.eventLoop());
        ws.attach(session);
        HttpHeaders headers = server.responses().applyHooks(existing == null ? cookie.apply(session.id()) : null,
                req, existing == null);

        // Install the WebSocket handlers before the 101 goes out, so no frame can reach the HTTP router.
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "engine-ws", ws);
        p.remove(ctx.handler());
        // The application's HTTP routes after us have nothing to do on a WebSocket; drop them (memory per socket).
        while (p.last() != ws) {
            p.removeLast();
        }
        // The connection is the WebSocket's alone now: a host that read on demand (Reactor Netty) no longer does.
        ch.config().setAutoRead(true);

        ChannelPromise handshaken = ch.newPromise();
        try {
            handshaker.handshake(ch, req, headers, handshaken);
        } catch (WebSocketHandshakeException e) {
            // Netty throws for an upgrade it cannot answer (no Sec-WebSocket-Key, no "Connection: Upgrade"), after
            // the pipeline change above: answer 400 and let the failure below end the session it would have had.
            log.debug("websocket handshake refused: {}", e.getMessage());
            server.responses().error(new ChannelExchange(ctx, req), EngineError.BAD_REQUEST);
            handshaken.setFailure(e);
        }
        handshaken.addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
                if (existing == null) {
                    session.execute(() -> session.onClose(CloseReason.TRANSPORT_ERROR, "websocket handshake failed"));
                }
                return;
            }
            ws.handshaken();
            if (existing == null) {
                session.open(ws);
                server.fireConnection(session, server.isWarmup(ch));
            } else {
                session.execute(() -> {
                    if (session.canUpgrade()) {
                        session.startUpgrade(ws);
                    } else {
                        ws.discard();
                    }
                });
            }
        });
    }
}
