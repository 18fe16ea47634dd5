/**
 * An Engine.IO v4 server on Netty: the transport under Socket.IO. It routes HTTP requests at a path, opens sessions
 * (handshake), carries messages over HTTP long-polling and WebSocket, upgrades polling sessions to WebSocket, keeps
 * them alive with heartbeats, and enforces CORS, size, rate and time limits. It knows nothing of Socket.IO.
 *
 * <p>{@link io.hibiki.engine.EngineServer} is the server, configured by {@link io.hibiki.engine.EngineOptions};
 * each session is an {@link io.hibiki.engine.EngineSocket}, opened by the request described by
 * {@link io.hibiki.engine.EngineRequest}. {@link io.hibiki.engine.ServerTls} serves HTTPS from PEM files, and
 * {@link io.hibiki.engine.ClientAddress} reads the client's address and scheme behind trusted proxies.
 *
 * <p>This package is the public API. {@code io.hibiki.engine.codec} (the packet codec) is public for the Socket.IO
 * layer and may change in any version.
 */
package io.hibiki.engine;
