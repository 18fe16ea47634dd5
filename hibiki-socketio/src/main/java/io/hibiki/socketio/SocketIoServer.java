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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);

    private final SocketIoOptions options;
    /** Per-address sharing of the listener executor, or null when off. */
    private final AddressLanes lanes;
    /** Writes what is emitted and binds what handlers take: the application's mapper when it gave one. */
    private final ObjectMapper mapper;
    private final PacketEncoder encoder;
    /** The wire is read by Hibiki's own mapper, whatever the application's is configured to do. */
    private final com.fasterxml.jackson.databind.ObjectReader packetReader =
            io.hibiki.socketio.parser.PacketDecoder.readerFor(new ObjectMapper());
    private final EngineServer engine;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
    private final List<NamespaceListener> namespaceListeners = new CopyOnWriteArrayList<>();
    private final EventExecutor scheduler = new DefaultEventExecutor(runnable -> {
        Thread t = new Thread(runnable, "hibiki-timers");
        t.setDaemon(true);
        return t;
    });
    private final Namespace main;

    SocketIoServer(SocketIoOptions options) {
        this.options = options;
        this.mapper = options.mapper() == null ? new ObjectMapper()
                : options.mapper().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        this.encoder = options.parser() == PacketParser.MSGPACK
                ? new io.hibiki.socketio.parser.MsgPackPacketEncoder(mapper) : new PacketEncoder(mapper);
        this.lanes = options.listenerExecutor() != null && options.listenerTurnsPerAddress() > 0
                ? new AddressLanes(options.listenerExecutor(), options.listenerTurnsPerAddress()) : null;
        this.engine = new EngineServer(options.engine());
        this.main = of("/");
        engine.onConnection(conn -> new Client(this, conn));
        engine.onWarmupConnection(conn -> new Client(this, conn, name -> warmupNamespace(),
                io.hibiki.socketio.observer.ServerObserver.NONE));
    }

    private Namespace warmup;

    /**
     * The startup warm-up's namespace: private, on an in-memory adapter, answering the warm-up's events the way
     * applications do (acks, a room, a broadcast), so those paths are loaded before the first client.
     */
    private synchronized Namespace warmupNamespace() {
        if (warmup == null) {
            Namespace ns = new Namespace(this, "/", null, io.hibiki.socketio.adapter.InMemoryAdapter.factory(),
                    io.hibiki.socketio.observer.ServerObserver.NONE);
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

    /**
     * Starts the options of a new server; {@link SocketIoOptions.Builder#build()} gives the server.
     *
     * @return a builder with every option at its default
     */
    public static SocketIoOptions.Builder builder() {
        return new SocketIoOptions.Builder();
    }

    /**
     * The options this server was built with.
     *
     * @return the immutable options
     */
    public SocketIoOptions options() {
        return options;
    }

    /**
     * The Engine.IO server underneath.
     *
     * @return the Engine.IO server, for its own hooks and statistics
     */
    public EngineServer engine() {
        return engine;
    }

    /**
     * The Jackson mapper used for packets and argument binding.
     *
     * @return the server's mapper, which encodes emitted values and binds {@link Args} to Java types
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    PacketEncoder encoder() {
        return encoder;
    }

    /**
     * Checks the server for a load balancer's or an orchestrator's health probe: its event loops run a task within
     * {@code within}, and its adapters are linked to the cluster. Cheap: one no-op task per event loop.
     *
     * @param within how long an event loop may take
     * @return the findings; never fails
     */
    public java.util.concurrent.CompletableFuture<ServerHealth> health(Duration within) {
        boolean linked = namespaces.values().stream().allMatch(n -> n.adapter().linked());
        return engine.eventLoopsResponsive(within).thenApply(loops -> new ServerHealth(loops, linked));
    }

    /** The listener executor for a connection from {@code client}: its address's lane, when lanes are on. */
    java.util.concurrent.Executor listenerLane(java.net.SocketAddress client) {
        return lanes != null ? lanes.laneFor(client) : options.listenerExecutor();
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

    /**
     * The namespace with this name, created on first use.
     *
     * @param name the namespace name, such as {@code "/chat"}; a missing leading {@code /} is added
     * @return the namespace, the same one on every call with that name
     */
    public Namespace of(String name) {
        String n = name.startsWith("/") ? name : "/" + name;
        Namespace existing = namespaces.get(n);
        return existing != null ? existing : announced(namespaces.computeIfAbsent(n, k -> new Namespace(this, k, null)));
    }

    /**
     * Tells {@code listener} of every namespace this server has now and of each one created later (dynamic ones
     * included), once each: for tools that watch a whole server, as the admin UI does.
     *
     * @param listener called on the registering thread for the existing namespaces, then on the thread that
     *                 creates each new one
     * @return this server
     */
    public SocketIoServer onNamespace(Consumer<Namespace> listener) {
        NamespaceListener l = new NamespaceListener(listener, ConcurrentHashMap.newKeySet());
        synchronized (namespaceListeners) {
            namespaceListeners.add(l);
            namespaces.values().forEach(l::tell);
        }
        return this;
    }

    private Namespace announced(Namespace ns) {
        if (!namespaceListeners.isEmpty()) {
            synchronized (namespaceListeners) {
                namespaceListeners.forEach(l -> l.tell(ns));
            }
        }
        return ns;
    }

    /** A listener of {@link #onNamespace}, with the namespaces it was told of (each only once). */
    private record NamespaceListener(Consumer<Namespace> listener, Set<Namespace> told) {
        void tell(Namespace ns) {
            if (told.add(ns)) {
                listener.accept(ns);
            }
        }
    }

    /**
     * Dynamic namespaces whose whole name matches the pattern.
     *
     * @param pattern matched against the whole name, leading {@code /} included
     * @return a new parent namespace for the matching names
     */
    public ParentNamespace of(Pattern pattern) {
        return of(name -> pattern.matcher(name).matches());
    }

    /**
     * Dynamic namespaces accepted by the predicate. A name that already has a namespace does not reach it; when
     * several parents accept a name, the one registered first gets it.
     *
     * @param predicate given the name a client asks for, leading {@code /} included
     * @return a new parent namespace for the accepted names
     */
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
                return announced(namespaces.computeIfAbsent(name, parent::createChild));
            }
        }
        return null;
    }

    void forgetNamespace(Namespace ns) {
        namespaces.remove(ns.name(), ns);
        ns.adapter().close();
    }

    /**
     * The main namespace's sockets on this node.
     *
     * @return an unmodifiable live view of the sockets, by id
     */
    public Map<String, Socket> sockets() {
        return main.sockets();
    }

    // ---- main-namespace shortcuts ----

    /**
     * Adds a middleware to the main namespace; see {@link Namespace#use}.
     *
     * @param middleware the middleware, run after those added before it
     * @return this server
     */
    public SocketIoServer use(Middleware middleware) {
        main.use(middleware);
        return this;
    }

    /**
     * Called for each socket that joined the main namespace.
     *
     * @param listener given the new socket
     * @return this server
     */
    public SocketIoServer onConnection(Consumer<Socket> listener) {
        main.onConnection(listener);
        return this;
    }

    /**
     * Node's {@code io.on("connection", …)}; see {@link Namespace#on}.
     *
     * @param event    {@code "connection"} or {@code "connect"}
     * @param listener given each new socket of the main namespace
     * @return this server
     * @throws IllegalArgumentException for any other event name
     */
    public SocketIoServer on(String event, Consumer<Socket> listener) {
        main.on(event, listener);
        return this;
    }

    /**
     * Targets the members of these rooms in the main namespace.
     *
     * @param rooms the rooms whose members get the emit (a socket id is a room)
     * @return an operator limited to those rooms
     */
    public BroadcastOperator to(String... rooms) {
        return main.to(rooms);
    }

    /**
     * Same as {@link #to}.
     *
     * @param rooms the rooms whose members get the emit
     * @return an operator limited to those rooms
     */
    public BroadcastOperator in(String... rooms) {
        return main.in(rooms);
    }

    /**
     * Targets every socket of the main namespace but the members of these rooms.
     *
     * @param rooms the rooms whose members get nothing
     * @return an operator without those rooms
     */
    public BroadcastOperator except(String... rooms) {
        return main.except(rooms);
    }

    /**
     * See {@link BroadcastOperator#volatileEmit()}.
     *
     * @return an operator for the main namespace whose emits are volatile
     */
    public BroadcastOperator volatileEmit() {
        return main.volatileEmit();
    }

    /**
     * See {@link BroadcastOperator#compress(boolean)}.
     *
     * @param compress {@code false} to send the packets uncompressed
     * @return an operator for the main namespace with the flag set
     */
    public BroadcastOperator compress(boolean compress) {
        return main.compress(compress);
    }

    /**
     * Targets this node's sockets of the main namespace only, not the rest of the cluster.
     *
     * @return an operator that stays on this node
     */
    public BroadcastOperator local() {
        return main.local();
    }

    /**
     * Sets how long an {@code emitWithAck} to the main namespace waits.
     *
     * @param timeout the wait for every answer
     * @return an operator for the main namespace with the timeout set
     */
    public BroadcastOperator timeout(Duration timeout) {
        return main.timeout(timeout);
    }

    /**
     * Emits to every socket of the main namespace.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void emit(String event, Object... args) {
        main.emit(event, args);
    }

    /**
     * Emits to every socket of the main namespace and collects one answer per socket; see
     * {@link BroadcastOperator#emitWithAck}. Without a {@link #timeout} it waits as long as it takes.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @return a future of the answers, one per socket
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public CompletableFuture<List<Object>> emitWithAck(String event, Object... args) {
        return main.emitWithAck(event, args);
    }

    /**
     * Handles to every socket of the main namespace, wherever in the cluster it is connected.
     *
     * @return a future of the sockets from this node and the others
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return main.fetchSockets();
    }

    /**
     * Makes every socket of the main namespace, across the cluster, join rooms.
     *
     * @param rooms the rooms to join
     */
    public void socketsJoin(String... rooms) {
        main.socketsJoin(rooms);
    }

    /**
     * Makes every socket of the main namespace, across the cluster, leave rooms.
     *
     * @param rooms the rooms to leave
     */
    public void socketsLeave(String... rooms) {
        main.socketsLeave(rooms);
    }

    /**
     * Disconnects every socket of the main namespace, across the cluster.
     *
     * @param close {@code true} to close each socket's connection with every namespace on it; {@code false} to
     *              make the sockets leave the main namespace only
     */
    public void disconnectSockets(boolean close) {
        main.disconnectSockets(close);
    }

    /**
     * Emits to the main namespace's {@code onServerSideEmit} listeners on the other nodes of the cluster.
     *
     * @param event the event name; not a reserved one
     * @param args  JSON-able arguments for the other nodes' listeners
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void serverSideEmit(String event, Object... args) {
        main.serverSideEmit(event, args);
    }

    /**
     * Like {@link #serverSideEmit} and collects one answer per other node.
     *
     * @param event the event name; not a reserved one
     * @param args  JSON-able arguments for the other nodes' listeners
     * @return a future of the other nodes' answers: empty on a single node; it may complete exceptionally when
     *         answers stop coming
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public CompletableFuture<List<Object>> serverSideEmitWithAck(String event, Object... args) {
        return main.serverSideEmitWithAck(event, args);
    }

    // ---- serving ----

    /**
     * Listens on all interfaces; returns the bound port.
     *
     * @param port the TCP port, or 0 for any free port
     * @return the port actually bound
     */
    public int listen(int port) {
        return listen(new InetSocketAddress(port), null);
    }

    /**
     * Listens on an address; {@code routes} adds the application's own HTTP handlers (for requests outside the
     * Socket.IO path) to each connection's pipeline, or null for 404.
     * Blocks until the port is bound; may be called again to listen on more addresses.
     *
     * @param address the address and port to bind; port 0 picks a free one
     * @param routes  adds the application's handlers at the end of each new connection's pipeline, or
     *                {@code null}
     * @return the port actually bound
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
     *
     * @param pipeline a new channel's pipeline that already decodes HTTP; the handlers are added at its end
     */
    public void addTo(ChannelPipeline pipeline) {
        engine.addTo(pipeline);
        if (options.serveClient()) {
            pipeline.addLast("socketio-client", new ClientBundleHandler(options.engine().path()));
        }
    }

    /**
     * Mounts Socket.IO right after a named HTTP codec in a pipeline another server built (Reactor Netty's, under
     * Spring WebFlux): requests for the Socket.IO path are answered here, every other one goes on to that server's
     * own handlers.
     *
     * @param pipeline a channel's pipeline
     * @param codec    the name of the HTTP codec handler in it
     * @throws java.util.NoSuchElementException when the pipeline has no handler of that name
     */
    public void addAfter(ChannelPipeline pipeline, String codec) {
        engine.addAfter(pipeline, codec);
        if (options.serveClient()) {
            pipeline.addAfter("engine", "socketio-client", new ClientBundleHandler(options.engine().path()));
        }
    }

    /**
     * Closes gracefully, as an application server's shutdown wants it: stops taking new connections, then waits
     * until the handlers have sent every acknowledgement they owe for events already received (at most
     * {@code grace}), then closes as {@link #close()} does. Clients get the same clean close as from {@link #close()}
     * (and, like Node's, reconnect, to another instance when there is one).
     *
     * @param grace the longest wait for owed acknowledgements; a handler that never answers costs this much
     */
    public void close(Duration grace) {
        engine.stopAccepting();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (acksOwed() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = acksOwed();
        if (left > 0) {
            log.warn("closing with {} acknowledgement(s) still owed after {}", left, grace);
        }
        close();
    }

    private int acksOwed() {
        int owed = 0;
        for (Namespace ns : namespaces.values()) {
            for (Socket s : ns.sockets().values()) {
                owed += s.acksOwed();
            }
        }
        return owed;
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
