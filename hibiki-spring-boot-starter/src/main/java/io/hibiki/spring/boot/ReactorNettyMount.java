package io.hibiki.spring.boot;

import io.hibiki.socketio.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Serves Socket.IO on a WebFlux application's own port: puts Hibiki's Engine.IO handler right after Reactor
 * Netty's HTTP/1.1 codec in every connection. Requests for the Socket.IO path (polling and WebSocket) are answered
 * by Hibiki on the connection's own event loop, exactly as by Hibiki's standalone server; every other request goes
 * on, untouched, to Reactor Netty and the application's routes.
 */
final class ReactorNettyMount implements NettyServerCustomizer, ApplicationPortHosting {

    private static final Logger log = LoggerFactory.getLogger(ReactorNettyMount.class);

    private final SocketIoServer server;
    private final HostLoops loops;
    private final boolean active;
    private volatile boolean warnedNoCodec;

    /** @param active false when Socket.IO has a port of its own ({@code hibiki.socketio.port}) */
    ReactorNettyMount(SocketIoServer server, HostLoops loops, boolean active) {
        this.server = server;
        this.loops = loops;
        this.active = active;
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public HttpServer apply(HttpServer http) {
        if (!active) {
            return http;
        }
        return http.doOnChannelInit((observer, channel, remote) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) == null) {
                // HTTP/2 connections (h2, h2c) carry no HTTP/1.1 codec; Socket.IO clients speak HTTP/1.1.
                if (!warnedNoCodec) {
                    warnedNoCodec = true;
                    log.warn("a connection without Reactor Netty's HTTP/1.1 codec: Socket.IO is not served on it");
                }
                return;
            }
            loops.seen(channel.eventLoop());
            server.addAfter(channel.pipeline(), NettyPipeline.HttpCodec);
        });
    }
}
