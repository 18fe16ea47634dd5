/**
 * A Socket.IO v5 server (the protocol of Socket.IO 3 and 4) on the Engine.IO server of {@code io.hibiki.engine}.
 * The official clients (JavaScript in the browser and in Node, Java) connect to it unchanged.
 *
 * <h2>Server</h2>
 * {@link io.hibiki.socketio.SocketIoServer#builder()} takes every option (path, CORS, timeouts, limits, adapter,
 * recovery, the executor for blocking handlers); {@code build()} gives the server, {@code listen(port)} serves it
 * on its own Netty server, {@code addTo(pipeline)} adds it to a pipeline you already have, and {@code close()} says
 * goodbye to every client and stops.
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder().path("/socket.io").build();
 * io.onConnection(socket -> socket.on("hello", (args, ack) -> ack.send("hi " + args.getString(0))));
 * io.listen(3000);
 * }</pre>
 *
 * <h2>Namespaces</h2>
 * The server's methods act on the main namespace {@code "/"}; {@link io.hibiki.socketio.SocketIoServer#of(String)}
 * gives another one, and {@code of(Pattern)} or {@code of(Predicate)} a family of namespaces created when a client
 * first asks for one. Each namespace has its own middleware ({@code use}), connection listeners, rooms and
 * adapter.
 *
 * <h2>Sockets</h2>
 * A {@link io.hibiki.socketio.Socket} is one client in one namespace. Its {@code handshake()} holds what the client
 * sent when it connected (headers, query, {@code auth}); {@code data()} holds what the application keeps with it.
 * Listeners for events ({@code on}, {@code onAny}), middleware per packet ({@code use}) and disconnection
 * ({@code onDisconnecting}, {@code onDisconnect}) are registered on it. Listeners run on the connection's event
 * loop, in order, unless the builder's {@code listenerExecutor} names an executor for handlers that block; events
 * of one socket are still handled one at a time and in order there.
 *
 * <h2>Rooms and broadcasts</h2>
 * {@code socket.join(room)} and {@code leave(room)} change a socket's rooms; every socket is also in a room named
 * after its id. A {@link io.hibiki.socketio.BroadcastOperator} from {@code to}, {@code in}, {@code except},
 * {@code volatileEmit}, {@code local}, {@code compress} or {@code timeout} sends to the sockets it selects, on
 * every server of a cluster unless {@code local}. {@code fetchSockets}, {@code socketsJoin},
 * {@code socketsLeave} and {@code disconnectSockets} act on the selected sockets wherever they are.
 *
 * <h2>Acknowledgements</h2>
 * A client's emit with a callback reaches the listener with an {@link io.hibiki.socketio.Ack}: {@code send(...)}
 * answers it once. The server's {@code emitWithAck} returns a {@code CompletableFuture} of the client's answer;
 * with {@code timeout(duration)} it fails with {@link io.hibiki.socketio.AckTimeoutException} when no answer
 * comes in time. A broadcast with an ack collects one answer per socket.
 *
 * <h2>Adapters</h2>
 * The adapter ({@link io.hibiki.socketio.adapter.Adapter}) keeps a namespace's rooms and carries broadcasts to
 * the other servers of a cluster. The default is in memory, for one server; {@code hibiki-redis} holds adapters
 * that speak the wire format of Node's Redis adapters, so Java and Node servers can share one cluster.
 *
 * <h2>Connection state recovery</h2>
 * With {@code connectionStateRecovery(...)} a client that loses its connection and comes back within the given
 * time gets the same socket id, its rooms and its {@code data}, and the packets it missed;
 * {@link io.hibiki.socketio.Socket#recovered()} tells the application which case it is in.
 *
 * <h2>What is API</h2>
 * This package and {@code io.hibiki.socketio.adapter} (the adapter SPI) are the public API. The packet codec in
 * {@code io.hibiki.socketio.parser} is public only because the adapters use it; it may change in any version.
 */
package io.hibiki.socketio;
