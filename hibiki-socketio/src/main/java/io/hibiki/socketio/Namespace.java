package io.hibiki.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.adapter.Adapter;
import io.hibiki.socketio.adapter.AdapterFactory;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.LocalSocket;
import io.hibiki.socketio.adapter.PersistedSession;
import io.hibiki.socketio.parser.PacketEncoder;
import java.time.Duration;
import java.util.Collections;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace ({@code io.of("/chat")}): its middleware, connection listeners, connected sockets and adapter.
 * Broadcast methods here target every socket of the namespace; narrow them with {@link #to}.
 */
public class Namespace implements AdapterNamespace {

    private static final Logger log = LoggerFactory.getLogger(Namespace.class);
    private static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    private final SocketIoServer server;
    private final String name;
    private final ParentNamespace parent;
    private final Adapter adapter;
    private final ConcurrentHashMap<String, Socket> sockets = new ConcurrentHashMap<>();
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<String, String>> joinListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<String, String>> leaveListeners = new CopyOnWriteArrayList<>();
    private final Map<String, ServerSideListener> serverSideListeners = new ConcurrentHashMap<>();
    private final AtomicLong ackIds = new AtomicLong();
    private final io.hibiki.socketio.observer.ServerObserver observer;

    Namespace(SocketIoServer server, String name, ParentNamespace parent) {
        this(server, name, parent, server.options().adapterFactory(), server.options().observer());
    }

    /**
     * With its own adapter and observer: the startup warm-up's private namespace stays off the cluster and out of
     * the metrics.
     */
    Namespace(SocketIoServer server, String name, ParentNamespace parent, AdapterFactory adapters,
              io.hibiki.socketio.observer.ServerObserver observer) {
        this.server = server;
        this.name = name;
        this.parent = parent;
        this.observer = observer;
        this.adapter = adapters.create(this, server.adapterSettings());
    }

    static void checkEventName(String event) {
        if (event == null || RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The adapter that keeps this namespace's rooms and carries its broadcasts to the rest of the cluster.
     *
     * @return the adapter made by the server's {@code adapter} factory for this namespace
     */
    public Adapter adapter() {
        return adapter;
    }

    SocketIoServer server() {
        return server;
    }

    /**
     * Sockets connected to this namespace on this node, by id.
     *
     * @return an unmodifiable live view: sockets that join or leave later show in it
     */
    public Map<String, Socket> sockets() {
        return Collections.unmodifiableMap(sockets);
    }

    /**
     * Adds a middleware that runs for each connecting socket, in order of registration.
     *
     * @param middleware the middleware, run after those added before it
     * @return this namespace
     */
    public Namespace use(Middleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /**
     * Called for each socket that joined this namespace (after its middleware passed).
     *
     * @param listener given the new socket; runs on the connection's event loop or the {@code listenerExecutor}
     * @return this namespace
     */
    public Namespace onConnection(Consumer<Socket> listener) {
        connectionListeners.add(listener);
        return this;
    }

    /**
     * Called when a socket of this node joins a room it was not in (Node's adapter event {@code "join-room"}),
     * whoever asked: the socket itself, or {@code socketsJoin} from any node.
     *
     * @param listener given the room and the socket id, on the thread that made the change; keep it short
     * @return this namespace
     */
    public Namespace onRoomJoined(java.util.function.BiConsumer<String, String> listener) {
        joinListeners.add(listener);
        return this;
    }

    /**
     * Called when a socket of this node leaves a room (Node's adapter event {@code "leave-room"}), by leaving, by
     * {@code socketsLeave}, or by disconnecting (once for each room it was in).
     *
     * @param listener given the room and the socket id, on the thread that made the change; keep it short
     * @return this namespace
     */
    public Namespace onRoomLeft(java.util.function.BiConsumer<String, String> listener) {
        leaveListeners.add(listener);
        return this;
    }

    boolean watchesRooms() {
        return !joinListeners.isEmpty() || !leaveListeners.isEmpty();
    }

    void roomsJoined(String socketId, Collection<String> rooms) {
        for (String room : rooms) {
            joinListeners.forEach(l -> l.accept(room, socketId));
        }
    }

    void roomsLeft(String socketId, Collection<String> rooms) {
        for (String room : rooms) {
            leaveListeners.forEach(l -> l.accept(room, socketId));
        }
    }

    /**
     * Node's {@code nsp.on("connection", …)}; {@code "connect"} is accepted as an alias.
     *
     * @param event    {@code "connection"} or {@code "connect"}
     * @param listener given each new socket, as with {@link #onConnection}
     * @return this namespace
     * @throws IllegalArgumentException for any other event name (server-side events go to
     *                                  {@link #onServerSideEmit})
     */
    public Namespace on(String event, Consumer<Socket> listener) {
        if (!event.equals("connection") && !event.equals("connect")) {
            throw new IllegalArgumentException("namespaces emit only \"connection\"; use onServerSideEmit for " + event);
        }
        return onConnection(listener);
    }

    // ---- broadcasting ----

    private BroadcastOperator all() {
        return new BroadcastOperator(this, Set.of(), Set.of(), BroadcastFlags.NONE);
    }

    /**
     * Targets the members of these rooms.
     *
     * @param rooms the rooms whose members get the emit (a socket id is a room)
     * @return an operator for this namespace limited to those rooms
     */
    public BroadcastOperator to(String... rooms) {
        return all().to(rooms);
    }

    /**
     * Same as {@link #to}.
     *
     * @param rooms the rooms whose members get the emit
     * @return an operator for this namespace limited to those rooms
     */
    public BroadcastOperator in(String... rooms) {
        return all().to(rooms);
    }

    /**
     * Targets every socket of the namespace but the members of these rooms.
     *
     * @param rooms the rooms whose members get nothing
     * @return an operator for this namespace without those rooms
     */
    public BroadcastOperator except(String... rooms) {
        return all().except(rooms);
    }

    /**
     * See {@link BroadcastOperator#volatileEmit()}.
     *
     * @return an operator for the whole namespace whose emits are volatile
     */
    public BroadcastOperator volatileEmit() {
        return all().volatileEmit();
    }

    /**
     * See {@link BroadcastOperator#compress(boolean)}.
     *
     * @param compress {@code false} to send the packets uncompressed
     * @return an operator for the whole namespace with the flag set
     */
    public BroadcastOperator compress(boolean compress) {
        return all().compress(compress);
    }

    /**
     * Targets this node's sockets only, not the rest of the cluster.
     *
     * @return an operator for this namespace on this node
     */
    public BroadcastOperator local() {
        return all().local();
    }

    /**
     * Sets how long an {@code emitWithAck} to the whole namespace waits.
     *
     * @param timeout the wait for every answer
     * @return an operator for the whole namespace with the timeout set
     */
    public BroadcastOperator timeout(Duration timeout) {
        return all().timeout(timeout);
    }

    /**
     * Emits to every socket of the namespace.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void emit(String event, Object... args) {
        all().emit(event, args);
    }

    /**
     * Emits to every socket of the namespace and collects one answer per socket; see
     * {@link BroadcastOperator#emitWithAck}. Without a {@link #timeout} it waits as long as it takes.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @return a future of the answers, one per socket
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public CompletableFuture<List<Object>> emitWithAck(String event, Object... args) {
        return all().emitWithAck(event, args);
    }

    /**
     * Handles to every socket of the namespace, wherever in the cluster it is connected.
     *
     * @return a future of the sockets from this node and the others
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return all().fetchSockets();
    }

    /**
     * Makes every socket of the namespace, across the cluster, join rooms.
     *
     * @param rooms the rooms to join
     */
    public void socketsJoin(String... rooms) {
        all().socketsJoin(rooms);
    }

    /**
     * Makes every socket of the namespace, across the cluster, leave rooms.
     *
     * @param rooms the rooms to leave
     */
    public void socketsLeave(String... rooms) {
        all().socketsLeave(rooms);
    }

    /**
     * Disconnects every socket of the namespace, across the cluster.
     *
     * @param close {@code true} to close each socket's connection with every namespace on it; {@code false} to
     *              make the sockets leave this namespace only
     */
    public void disconnectSockets(boolean close) {
        all().disconnectSockets(close);
    }

    /**
     * Emits to this namespace's listeners on the other nodes of the cluster.
     *
     * @param event the event name; not a reserved one
     * @param args  JSON-able arguments for the other nodes' {@link #onServerSideEmit} listeners
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void serverSideEmit(String event, Object... args) {
        checkEventName(event);
        adapter.serverSideEmit(BroadcastOperator.eventData(event, args), false);
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
        checkEventName(event);
        return adapter.serverSideEmit(BroadcastOperator.eventData(event, args), true);
    }

    /**
     * Handles another node's {@code serverSideEmit}.
     *
     * @param event    the event name
     * @param listener the handler; it replaces one registered before for the same event
     * @return this namespace
     */
    public Namespace onServerSideEmit(String event, ServerSideListener listener) {
        serverSideListeners.put(event, listener);
        return this;
    }

    /**
     * Receives {@code serverSideEmit} from other nodes. Return the acknowledgement arguments, or {@code null} to
     * acknowledge nothing (the emitter then counts this node as silent, as with a Node server).
     */
    @FunctionalInterface
    public interface ServerSideListener {
        /**
         * Handles one server-side event. A runtime exception is logged and counts as no answer.
         *
         * @param args the event's arguments, without the name
         * @return the acknowledgement arguments, or {@code null} to acknowledge nothing
         */
        List<Object> onEvent(List<JsonNode> args);
    }

    // ---- adapter side ----

    @Override
    public LocalSocket localSocket(String id) {
        return sockets.get(id);
    }

    @Override
    public PacketEncoder encoder() {
        return server.encoder();
    }

    @Override
    public io.hibiki.socketio.observer.ServerObserver observer() {
        return observer;
    }

    @Override
    public CompletableFuture<List<Object>> onServerSideEmit(List<Object> args, boolean wantsAck) {
        if (args.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ServerSideListener l = serverSideListeners.get(String.valueOf(args.get(0)));
        if (l == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<JsonNode> nodes = args.subList(1, args.size()).stream()
                .map(a -> a instanceof JsonNode n ? n : server.mapper().valueToTree(a)).map(JsonNode.class::cast).toList();
        try {
            return CompletableFuture.completedFuture(l.onEvent(nodes));
        } catch (RuntimeException e) {
            log.error("serverSideEmit listener for {} failed", args.get(0), e);
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public long nextAckId() {
        return ackIds.getAndIncrement();
    }

    // ---- connections ----

    /** A client asked to join; runs on the client's loop. */
    void connect(Client client, JsonNode auth) {
        String pid = auth != null ? textOrNull(auth.get("pid")) : null;
        String offset = auth != null ? textOrNull(auth.get("offset")) : null;
        if (server.options().recovery() != null && pid != null && offset != null) {
            adapter.restoreSession(pid, offset).whenComplete((session, error) -> client.execute(() ->
                    admit(client, auth, error == null ? session : null)));
        } else {
            admit(client, auth, null);
        }
    }

    private void admit(Client client, JsonNode auth, PersistedSession previous) {
        Socket socket = new Socket(this, client, auth, previous);
        if (previous != null && server.options().recovery().skipMiddlewares()) {
            doConnect(client, socket);
            return;
        }
        runMiddlewares(socket, 0, client);
    }

    private void runMiddlewares(Socket socket, int index, Client client) {
        List<Middleware> chain = middlewares;
        if (index >= chain.size()) {
            client.execute(() -> doConnect(client, socket));
            return;
        }
        Middleware m = chain.get(index);
        client.dispatch(() -> {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Middleware.Next next = new Middleware.Next() {
                @Override
                public void ok() {
                    if (done.compareAndSet(false, true)) {
                        runMiddlewares(socket, index + 1, client);
                    }
                }

                @Override
                public void fail(String message) {
                    fail(message, null);
                }

                @Override
                public void fail(String message, Object data) {
                    if (done.compareAndSet(false, true)) {
                        client.execute(() -> client.refuse(name, message, data));
                    }
                }
            };
            try {
                m.handle(socket, next);
            } catch (Exception e) {
                next.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
    }

    private void doConnect(Client client, Socket socket) {
        if (!client.isOpen()) {
            return;
        }
        sockets.put(socket.id(), socket);
        client.attach(name, socket);
        socket.onConnect();
        for (Consumer<Socket> l : connectionListeners) {
            client.dispatch(() -> l.accept(socket));
        }
        if (parent != null) {
            parent.fireConnection(socket, client);
        }
    }

    void remove(Socket socket) {
        sockets.remove(socket.id(), socket);
        if (parent != null && sockets.isEmpty() && server.options().cleanupEmptyChildNamespaces()) {
            parent.removeChild(this);
        }
    }

    boolean hasMiddlewares() {
        return !middlewares.isEmpty();
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    @Override
    public String toString() {
        return "Namespace[" + name + ", " + sockets.size() + " sockets]";
    }
}
