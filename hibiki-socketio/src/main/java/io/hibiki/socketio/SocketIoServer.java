package io.hibiki.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.engine.EngineServer;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.parser.PacketEncoder;
import io.hibiki.engine.NotFoundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A Socket.IO v4 server: Node's {@code io}.
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder().path("/api/socket_io").build();
 * io.onConnection(socket -> {
 *     socket.on("join-room", String.class, room -> {
 *         socket.join(room);
 *         io.to(room).emit("user-joined", "User " + socket.id() + " has joined the room.");
 *     });
 * });
 * io.listen(3000);
 * }</pre>
 * Methods that emit or select ({@code to}, {@code emit}, {@code use}, …) act on the main namespace {@code "/"}.
 */
public final class SocketIoServer implements AutoCloseable {

    private final SocketIoOptions options;
    private final ObjectMapper mapper = new ObjectMapper();
    private final PacketEncoder encoder = new PacketEncoder(mapper);
    private final com.fasterxml.jackson.databind.ObjectReader packetReader =
            io.hibiki.socketio.parser.PacketDecoder.readerFor(mapper);
    private final EngineServer engine;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
    private final EventExecutor scheduler = new DefaultEventExecutor(runnable -> {
        Thread t = new Thread(runnable, "hibiki-timers");
        t.setDaemon(true);
        return t;
    });
    private final Namespace main;

    SocketIoServer(SocketIoOptions options) {
        this.options = options;
        this.engine = new EngineServer(options.engine());
        this.main = of("/");
        engine.onConnection(conn -> new Client(this, conn));
        engine.onWarmupConnection(conn -> new Client(this, conn, name -> warmupNamespace()));
    }

    private Namespace warmup;

    /**
     * The startup warm-up's namespace: private, on an in-memory adapter, answering the warm-up's events the way
     * applications do (acks, a room, a broadcast), so those paths are loaded before the first client.
     */
    private synchronized Namespace warmupNamespace() {
        if (warmup == null) {
            Namespace ns = new Namespace(this, "/", null, io.hibiki.socketio.adapter.InMemoryAdapter.factory());
            ns.onConnection(socket -> {
                socket.join("warm");
                socket.on("warm", (args, ack) -> {
                    ns.to("warm").emit("warmed", args.get(0));
                    ack.send(args.get(0));
                });
            });
            warmup = ns;
        }
        return warmup;
    }

    public static SocketIoOptions.Builder builder() {
        return new SocketIoOptions.Builder();
    }

    public SocketIoOptions options() {
        return options;
    }

    /** The Engine.IO server underneath. */
    public EngineServer engine() {
        return engine;
    }

    /** The Jackson mapper used for packets and argument binding. */
    public ObjectMapper mapper() {
        return mapper;
    }

    PacketEncoder encoder() {
        return encoder;
    }

    com.fasterxml.jackson.databind.ObjectReader packetReader() {
        return packetReader;
    }

    EventExecutor scheduler() {
        return scheduler;
    }

    AdapterSettings adapterSettings() {
        SocketIoOptions.Recovery r = options.recovery();
        return new AdapterSettings(r == null ? null : r.maxDisconnectionDuration());
    }

    // ---- namespaces ----

    /** The namespace with this name, created on first use. */
    public Namespace of(String name) {
        String n = name.startsWith("/") ? name : "/" + name;
        return namespaces.computeIfAbsent(n, k -> new Namespace(this, k, null));
    }

    /** Dynamic namespaces whose whole name matches the pattern. */
    public ParentNamespace of(Pattern pattern) {
        return of(name -> pattern.matcher(name).matches());
    }

    /** Dynamic namespaces accepted by the predicate. */
    public ParentNamespace of(Predicate<String> predicate) {
        ParentNamespace parent = new ParentNamespace(this, predicate);
        parents.add(parent);
        return parent;
    }

    /** The namespace a client asked for: an existing one, or a new child of a matching parent, or null. */
    Namespace namespaceFor(String name) {
        Namespace ns = namespaces.get(name);
        if (ns != null) {
            return ns;
        }
        for (ParentNamespace parent : parents) {
            if (parent.matches(name)) {
                return namespaces.computeIfAbsent(name, parent::createChild);
            }
        }
        return null;
    }

    void forgetNamespace(Namespace ns) {
        namespaces.remove(ns.name(), ns);
        ns.adapter().close();
    }

    /** The main namespace's sockets on this node. */
    public Map<String, Socket> sockets() {
        return main.sockets();
    }

    // ---- main-namespace shortcuts ----

    public SocketIoServer use(Middleware middleware) {
        main.use(middleware);
        return this;
    }

    public SocketIoServer onConnection(Consumer<Socket> listener) {
        main.onConnection(listener);
        return this;
    }

    public SocketIoServer on(String event, Consumer<Socket> listener) {
        main.on(event, listener);
        return this;
    }

    public BroadcastOperator to(String... rooms) {
        return main.to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return main.in(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return main.except(rooms);
    }

    public BroadcastOperator volatileEmit() {
        return main.volatileEmit();
    }

    public BroadcastOperator compress(boolean compress) {
        return main.compress(compress);
    }

    public BroadcastOperator local() {
        return main.local();
    }

    public BroadcastOperator timeout(Duration timeout) {
        return main.timeout(timeout);
    }

    public void emit(String event, Object... args) {
        main.emit(event, args);
    }

    public CompletableFuture<List<Object>> emitWithAck(String event, Object... args) {
        return main.emitWithAck(event, args);
    }

    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return main.fetchSockets();
    }

    public void socketsJoin(String... rooms) {
        main.socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        main.socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        main.disconnectSockets(close);
    }

    public void serverSideEmit(String event, Object... args) {
        main.serverSideEmit(event, args);
    }

    public CompletableFuture<List<Object>> serverSideEmitWithAck(String event, Object... args) {
        return main.serverSideEmitWithAck(event, args);
    }

    // ---- serving ----

    /** Listens on all interfaces; returns the bound port. */
    public int listen(int port) {
        return listen(new InetSocketAddress(port), null);
    }

    /**
     * Listens on an address; {@code routes} adds the application's own HTTP handlers (for requests outside the
     * Socket.IO path) to each connection's pipeline, or null for 404.
     */
    public int listen(InetSocketAddress address, Consumer<ChannelPipeline> routes) {
        return engine.listen(address, p -> {
            if (options.serveClient()) {
                p.addLast("socketio-client", new ClientBundleHandler(options.engine().path()));
            }
            if (routes != null) {
                routes.accept(p);
            } else {
                p.addLast("not-found", new NotFoundHandler());
            }
        });
    }

    /**
     * Mounts Socket.IO into an application's pipeline (after its {@code HttpServerCodec}); other requests flow
     * on to the handlers the application adds next.
     */
    public void addTo(ChannelPipeline pipeline) {
        engine.addTo(pipeline);
        if (options.serveClient()) {
            pipeline.addLast("socketio-client", new ClientBundleHandler(options.engine().path()));
        }
    }

    /**
     * Shuts down: every socket leaves with "server shutting down", connections close, the port is released.
     */
    @Override
    public void close() {
        engine.close();
        for (Namespace ns : namespaces.values()) {
            ns.adapter().close();
        }
        scheduler.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
