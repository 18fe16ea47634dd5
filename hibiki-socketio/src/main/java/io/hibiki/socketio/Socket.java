package io.hibiki.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.engine.EngineSocket;
import io.hibiki.engine.SessionIds;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.adapter.EncodedMessages;
import io.hibiki.socketio.adapter.LocalSocket;
import io.hibiki.socketio.adapter.PersistedSession;
import io.hibiki.socketio.adapter.SocketDetails;
import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.socketio.parser.Packet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's membership of one namespace: Node's server-side {@code socket}. Listeners run on the
 * connection's event loop (or the server's listener executor when configured), one at a time per connection.
 * Every method may be called from any thread.
 */
public final class Socket implements LocalSocket {

    private static final Logger log = LoggerFactory.getLogger(Socket.class);

    private final Namespace namespace;
    private final Client client;
    private final String id;
    private final String pid;
    private final com.fasterxml.jackson.databind.JsonNode auth;
    /** Built on first use: most sockets are never asked for it, and it copies every header. */
    private volatile Handshake handshake;
    /** Created on first use, or restored by recovery. */
    private volatile Map<String, Object> data;
    private final PersistedSession previous;
    private volatile boolean connected;
    /** Leaving has begun (disconnecting listeners scheduled); owned by the client's loop. */
    private boolean closing;

    // Listener collections are immutable snapshots replaced under the socket's lock: they are read on every
    // event and written a few times per connection, and an idle socket then costs no collection objects of its
    // own (with tens of thousands of sockets, empty concurrent collections were a large part of each one's heap).
    private volatile Map<String, List<EventListener>> listeners = Map.of();
    private volatile List<AnyListener> anyListeners = List.of();
    private volatile List<AnyListener> anyOutgoingListeners = List.of();
    private volatile List<SocketMiddleware> middlewares = List.of();
    private volatile List<Consumer<DisconnectReason>> disconnectingListeners = List.of();
    private volatile List<Consumer<DisconnectReason>> disconnectListeners = List.of();
    private volatile List<Consumer<Throwable>> errorListeners = List.of();
    /** The inbound event budget when {@code eventRateLimit} is set; used on the client's loop only. */
    private final TokenBucket eventBudget;
    private long lastRateNotice = System.nanoTime() - 1_000_000_000L;
    /** Events over the rate waiting for the budget ({@code eventQueue}); created on first use, on the loop. */
    private java.util.ArrayDeque<Packet> heldEvents;
    /** Created with the first ack this socket waits for. */
    private volatile Map<Long, Consumer<List<JsonNode>>> acks;

    private static final VarHandle DATA;
    private static final VarHandle ACKS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DATA = lookup.findVarHandle(Socket.class, "data", Map.class);
            ACKS = lookup.findVarHandle(Socket.class, "acks", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unchecked")
    Socket(Namespace namespace, Client client, com.fasterxml.jackson.databind.JsonNode auth,
           PersistedSession previous) {
        this.namespace = namespace;
        this.client = client;
        this.auth = auth;
        this.previous = previous;
        SocketIoOptions options = namespace.server().options();
        this.eventBudget = options.eventsPerSecond() > 0
                ? new TokenBucket(options.eventsPerSecond(), options.eventBurst()) : null;
        boolean recovery = namespace.server().options().recovery() != null;
        if (previous != null) {
            this.id = previous.sid();
            this.pid = previous.pid();
            this.data = previous.data() instanceof Map<?, ?> m && !m.isEmpty()
                    ? new ConcurrentHashMap<>((Map<String, Object>) m) : null;
        } else {
            this.id = SessionIds.next();
            this.pid = recovery ? SessionIds.next() : null;
        }
    }

    // ---- identity ----

    @Override
    public io.netty.util.concurrent.EventExecutor executor() {
        return client.conn().executor();
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * The request this socket connected with (Node's {@code socket.handshake}), built on first call.
     *
     * @return the handshake: headers, address, query, auth payload
     */
    public Handshake handshake() {
        Handshake h = handshake;
        if (h == null) {
            h = client.handshake(auth);
            handshake = h;
        }
        return h;
    }

    /**
     * The application's per-socket data ({@code socket.data}); kept across recovery and visible to fetchSockets.
     *
     * @return the live map, created on first call; thread-safe, and it takes no {@code null} keys or values
     */
    public Map<String, Object> data() {
        return lazyMap(DATA);
    }

    /** The data without creating it: an empty map when the application never set any. */
    private Map<String, Object> dataSnapshot() {
        Map<String, Object> d = data;
        return d == null ? Map.of() : Map.copyOf(d);
    }

    /**
     * The namespace this socket belongs to.
     *
     * @return the namespace, which is the same for the socket's whole life
     */
    public Namespace namespace() {
        return namespace;
    }

    /**
     * The underlying Engine.IO connection ({@code socket.conn}).
     *
     * @return the connection, shared by every namespace its client joined
     */
    public EngineSocket conn() {
        return client.conn();
    }

    /**
     * Whether the socket is in its namespace: from the namespace's CONNECT answer until it has left.
     *
     * @return {@code true} while connected; {@code false} before the middleware has passed and once the
     *         disconnecting listeners have run
     */
    public boolean connected() {
        return connected;
    }

    /**
     * Whether this socket was restored by connection state recovery (same id, rooms, data; missed packets sent).
     *
     * @return {@code true} for a restored session, {@code false} for a new one
     */
    public boolean recovered() {
        return previous != null;
    }

    // ---- rooms ----

    /**
     * The rooms this socket is in, its own id included.
     *
     * @return a snapshot, not changed by later joins and leaves
     */
    public Set<String> rooms() {
        return namespace.adapter().socketRooms(id);
    }

    /**
     * Joins every room, or none of them when that would pass {@code maxRoomsPerSocket}.
     *
     * @param rooms the rooms to join; rooms the socket is already in are not counted again
     * @return this socket
     * @throws TooManyRoomsException if the socket would be in more rooms than allowed
     */
    public Socket join(String... rooms) {
        return join(List.of(rooms));
    }

    @Override
    public void joinAll(Collection<String> rooms) {
        try {
            join(rooms);
        } catch (TooManyRoomsException e) {
            log.warn("{}: not joining {}", e.getMessage(), rooms);
        }
    }

    /**
     * Joins every room, or none of them when that would pass {@code maxRoomsPerSocket}.
     *
     * @param rooms the rooms to join; rooms the socket is already in are not counted again
     * @return this socket
     * @throws TooManyRoomsException if the socket would be in more rooms than allowed
     */
    public Socket join(List<String> rooms) {
        return join((Collection<String>) rooms);
    }

    /**
     * Joins every room, or none of them when that would pass {@code maxRoomsPerSocket} (default 1000, the
     * socket's own room included). Two joins at once cannot both slip under the limit.
     *
     * @param rooms the rooms to join; rooms the socket is already in are not counted again
     * @return this socket
     * @throws TooManyRoomsException if the socket would be in more rooms than allowed
     */
    public Socket join(Collection<String> rooms) {
        int max = namespace.server().options().maxRoomsPerSocket();
        List<String> added = null;
        // Checked and joined under the socket's lock, so two joins at once cannot both pass the check.
        synchronized (this) {
            Set<String> current = namespace.adapter().socketRooms(id);
            if (current.size() + rooms.size() > max) {
                long adding = rooms.stream().distinct().filter(r -> !current.contains(r)).count();
                if (current.size() + adding > max) {
                    throw new TooManyRoomsException(id, max);
                }
            }
            if (namespace.watchesRooms()) {
                added = rooms.stream().distinct().filter(r -> !current.contains(r)).toList();
            }
            namespace.adapter().addAll(id, rooms);
        }
        if (added != null) {
            namespace.roomsJoined(id, added);
        }
        return this;
    }

    @Override
    public void leave(String room) {
        boolean was = namespace.watchesRooms() && namespace.adapter().socketRooms(id).contains(room);
        namespace.adapter().del(id, room);
        if (was) {
            namespace.roomsLeft(id, List.of(room));
        }
    }

    // ---- broadcasting from this socket (everyone but itself) ----

    /**
     * To members of the rooms, except this socket.
     *
     * @param rooms the rooms whose members receive (a socket id is a room)
     * @return an operator for those members, leaving out this socket
     */
    public BroadcastOperator to(String... rooms) {
        return namespace.except(id).to(rooms);
    }

    /**
     * Same as {@link #to}.
     *
     * @param rooms the rooms whose members receive (a socket id is a room)
     * @return an operator for those members, leaving out this socket
     */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /**
     * To every socket of the namespace except this one and the members of the rooms.
     *
     * @param rooms the rooms whose members are left out
     * @return an operator for the rest of the namespace
     */
    public BroadcastOperator except(String... rooms) {
        return namespace.except(id).except(rooms);
    }

    /**
     * To every socket of the namespace except this one ({@code socket.broadcast}).
     *
     * @return an operator for the rest of the namespace, to narrow further or emit with
     */
    public BroadcastOperator broadcast() {
        return namespace.except(id);
    }

    // ---- emitting to this socket ----

    /**
     * Emits an event to this socket's client. With connection state recovery on, the event gets an offset and
     * is kept for replay, so a client that drops and recovers still receives it.
     *
     * @param event the event name; not one of the reserved names ({@code "connect"}, {@code "disconnect"}, …)
     * @param args  the arguments: JSON-able values, or binary ({@code byte[]}, {@code ByteBuffer}) at any depth
     * @return this socket
     * @throws IllegalArgumentException if {@code event} is {@code null} or reserved
     */
    public Socket emit(String event, Object... args) {
        emit(BroadcastFlags.NONE, event, args);
        return this;
    }

    /**
     * Emits and waits for the client's acknowledgement (no timeout; see {@link #timeout}).
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values or binary
     * @return a future completing with the client's acknowledgement arguments; it never completes when the client
     *         does not answer
     * @throws IllegalArgumentException if {@code event} is {@code null} or reserved
     */
    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        return emitWithAck(BroadcastFlags.NONE, event, args);
    }

    /**
     * Flags for the next emit: {@code socket.timeout(d).emitWithAck(...)}.
     *
     * @param timeout how long {@code emitWithAck} waits before failing with {@link AckTimeoutException}
     * @return an emitter to this socket with that timeout
     */
    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(this, BroadcastFlags.NONE.withTimeout(timeout));
    }

    /**
     * See {@link BroadcastOperator#volatileEmit()}.
     *
     * @return an emitter to this socket that drops the event when the transport cannot take it right now
     */
    public SocketEmitter volatileEmit() {
        return new SocketEmitter(this, BroadcastFlags.NONE.withVolatile());
    }

    /**
     * Whether the next emit may be compressed. Emits are compressible by default; the transport compresses where
     * it can (permessage-deflate on WebSocket, HTTP compression on polling).
     *
     * @param compress {@code false} to send the event uncompressed
     * @return an emitter to this socket with that setting
     */
    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(this, BroadcastFlags.NONE.withCompress(compress));
    }

    void emit(BroadcastFlags flags, String event, Object[] args) {
        Namespace.checkEventName(event);
        List<Object> payload = BroadcastOperator.eventData(event, args);
        Packet packet = Packet.event(namespace.name(), Packet.NO_ID, payload);
        if (namespace.server().options().recovery() != null && !flags.volatileEmit()) {
            // Through the adapter so the packet gets an offset and is kept for replay; never to other nodes.
            // The adapter tells the outgoing listeners, as for any broadcast.
            namespace.adapter().broadcast(packet, new BroadcastOptions(Set.of(id), Set.of(), flags.withLocal()));
        } else {
            notifyOutgoing(packet);
            write(packet, flags);
        }
    }

    CompletableFuture<Args> emitWithAck(BroadcastFlags flags, String event, Object[] args) {
        Namespace.checkEventName(event);
        List<Object> payload = BroadcastOperator.eventData(event, args);
        CompletableFuture<Args> result = new CompletableFuture<>();
        long ackId = namespace.nextAckId();
        long sent = System.nanoTime();
        acks().put(ackId, values -> {
            namespace.observer().ackReceived(namespace.name(), System.nanoTime() - sent);
            result.complete(new Args(values, namespace.server().mapper()));
        });
        if (flags.timeout() != null) {
            var timer = namespace.server().scheduler().schedule(() -> {
                // Fails the emit even when the socket left meanwhile (its waiting acks are gone then), as Node's
                // timeout does: a caller that asked for a bound gets an answer within it.
                acks().remove(ackId);
                result.completeExceptionally(new AckTimeoutException(List.of()));
            }, flags.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> timer.cancel(false));
        }
        Packet packet = Packet.event(namespace.name(), ackId, payload);
        notifyOutgoing(packet);
        write(packet, flags);
        return result;
    }

    private void write(Packet packet, BroadcastFlags flags) {
        EncodedMessages encoded = EncodedMessages.of(namespace.encoder().encode(packet));
        try {
            boolean written = deliver(encoded, flags);
            ServerObserver observer = namespace.observer();
            if (observer != ServerObserver.NONE && packet.data() instanceof List<?> data) {
                observer.eventSent(namespace.name(), String.valueOf(data.get(0)), written ? 1 : 0, encoded.bytes());
            }
        } finally {
            encoded.release();
        }
    }

    @Override
    public boolean deliver(EncodedMessages packet, BroadcastFlags flags) {
        return connected && client.write(packet, flags);
    }

    @Override
    public void expectAck(long ackId, Consumer<List<JsonNode>> callback) {
        acks().put(ackId, callback);
    }

    private Map<Long, Consumer<List<JsonNode>>> acks() {
        return lazyMap(ACKS);
    }

    /** The map in a field made on first use ({@link #data}, {@link #acks}): the first caller's map wins a race. */
    @SuppressWarnings("unchecked")
    private <K, V> Map<K, V> lazyMap(VarHandle field) {
        Map<K, V> map = (Map<K, V>) field.getVolatile(this);
        if (map == null) {
            Map<K, V> fresh = new ConcurrentHashMap<>();
            map = (Map<K, V>) field.compareAndExchange(this, null, fresh);
            if (map == null) {
                map = fresh;
            }
        }
        return map;
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    private static <T> List<T> minus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        return copy.remove(item) ? List.copyOf(copy) : list;
    }

    @Override
    public SocketDetails details() {
        // The live map, as Node's local fetchSockets hands out socket.data itself.
        return new SocketDetails(id, handshake().toMap(), rooms(), data());
    }

    @Override
    public void notifyOutgoing(Packet packet) {
        if (anyOutgoingListeners.isEmpty()) {
            return;
        }
        List<?> payload;
        if (packet.data() instanceof List<?> list) {
            payload = list;
        } else if (packet.data() instanceof JsonNode node && node.isArray()) {
            List<JsonNode> nodes = new ArrayList<>(node.size());
            node.forEach(nodes::add);
            payload = nodes;
        } else {
            return;
        }
        if (payload.isEmpty()) {
            return;
        }
        Object name = payload.get(0);
        String event = name instanceof JsonNode n ? n.asText() : String.valueOf(name);
        List<?> args = payload.subList(1, payload.size());
        for (AnyListener l : anyOutgoingListeners) {
            try {
                l.onEvent(event, args);
            } catch (RuntimeException e) {
                log.error("socket {}: onAnyOutgoing listener failed", id, e);
            }
        }
    }

    // ---- listeners ----

    /**
     * Handles an event with raw arguments and the ack. Listeners of one event run in the order they were added;
     * one that throws is logged and does not stop the others.
     *
     * <p>{@code "disconnecting"} and {@code "disconnect"} are no events a client can send; as on Node's server
     * socket, a listener for them is called once when the socket leaves, with the reason (Node's words, e.g.
     * {@code "transport close"}) as its one argument, the same as {@link #onDisconnecting} and
     * {@link #onDisconnect}.
     *
     * @param event    the event name
     * @param listener called with the event's arguments and the ack to answer with
     * @return this socket
     */
    public Socket on(String event, EventListener listener) {
        if ("disconnect".equals(event) || "disconnecting".equals(event)) {
            // Code ported from Node listens this way; accepting it and never calling it would lose its clean-up.
            Consumer<DisconnectReason> bridge = reason -> {
                try {
                    listener.onEvent(new Args(List.of(com.fasterxml.jackson.databind.node.TextNode.valueOf(
                            reason.text())), namespace.server().mapper()), Ack.NONE);
                } catch (Exception e) {
                    log.warn("\"{}\" listener of socket {} failed", event, id, e);
                }
            };
            return "disconnect".equals(event) ? onDisconnect(bridge) : onDisconnecting(bridge);
        }
        synchronized (this) {
            Map<String, List<EventListener>> copy = new HashMap<>(listeners);
            copy.put(event, plus(copy.getOrDefault(event, List.of()), listener));
            listeners = Map.copyOf(copy);
        }
        return this;
    }

    /**
     * Handles an event whose first argument binds to {@code type}. When the argument does not bind (the client
     * sent something else), this listener is skipped with a debug log.
     *
     * @param <T>      the argument's type
     * @param event    the event name
     * @param type     the class the first argument is read as (records, maps, {@code String}, …)
     * @param listener called with the argument, or {@code null} when the event has none
     * @return this socket
     */
    public <T> Socket on(String event, Class<T> type, Consumer<T> listener) {
        return on(event, (args, ack) -> listener.accept(args.get(0, type)));
    }

    /**
     * Handles an event whose first argument binds to {@code type}, with the ack. When the argument does not bind
     * (the client sent something else), this listener is skipped with a debug log.
     *
     * @param <T>      the argument's type
     * @param event    the event name
     * @param type     the class the first argument is read as (records, maps, {@code String}, …)
     * @param listener called with the argument (or {@code null} when the event has none) and the ack
     * @return this socket
     */
    public <T> Socket on(String event, Class<T> type, BiConsumer<T, Ack> listener) {
        return on(event, (args, ack) -> listener.accept(args.get(0, type), ack));
    }

    /**
     * Removes every listener of an event.
     *
     * @param event the event name
     * @return this socket
     */
    public Socket off(String event) {
        synchronized (this) {
            Map<String, List<EventListener>> copy = new HashMap<>(listeners);
            copy.remove(event);
            listeners = Map.copyOf(copy);
        }
        return this;
    }

    /**
     * Adds a listener for every inbound event, run before the socket's middleware, so it also sees events a
     * middleware then refuses. Events refused by the rate limit do not reach it.
     *
     * @param listener called with each event's name and arguments
     * @return this socket
     */
    public Socket onAny(AnyListener listener) {
        synchronized (this) {
            anyListeners = plus(anyListeners, listener);
        }
        return this;
    }

    /**
     * Removes a listener added with {@link #onAny}.
     *
     * @param listener the listener to remove; one that was not added is ignored
     * @return this socket
     */
    public Socket offAny(AnyListener listener) {
        synchronized (this) {
            anyListeners = minus(anyListeners, listener);
        }
        return this;
    }

    /**
     * Adds a listener for every event sent to this socket's client, its own emits and broadcasts alike, called
     * just before the event is written. It is not dispatched like the other listeners: it runs on the thread that
     * writes the event, which may be the emitting thread, so it must be quick and thread-safe.
     *
     * @param listener called with each outgoing event's name and arguments
     * @return this socket
     */
    public Socket onAnyOutgoing(AnyListener listener) {
        synchronized (this) {
            anyOutgoingListeners = plus(anyOutgoingListeners, listener);
        }
        return this;
    }

    /**
     * Removes a listener added with {@link #onAnyOutgoing}.
     *
     * @param listener the listener to remove; one that was not added is ignored
     * @return this socket
     */
    public Socket offAnyOutgoing(AnyListener listener) {
        synchronized (this) {
            anyOutgoingListeners = minus(anyOutgoingListeners, listener);
        }
        return this;
    }

    /**
     * Adds a middleware run before listeners for every inbound event.
     *
     * @param middleware run after the middleware added before it; it passes the event on or refuses it
     * @return this socket
     */
    public Socket use(SocketMiddleware middleware) {
        synchronized (this) {
            middlewares = plus(middlewares, middleware);
        }
        return this;
    }

    /**
     * Called when the socket is about to leave: its rooms are still visible.
     *
     * @param listener called once with the reason
     * @return this socket
     */
    public Socket onDisconnecting(Consumer<DisconnectReason> listener) {
        synchronized (this) {
            disconnectingListeners = plus(disconnectingListeners, listener);
        }
        return this;
    }

    /**
     * Called once the socket has left, with the reason.
     *
     * @param listener called once with the reason; the socket is then in no room
     * @return this socket
     */
    public Socket onDisconnect(Consumer<DisconnectReason> listener) {
        synchronized (this) {
            disconnectListeners = plus(disconnectListeners, listener);
        }
        return this;
    }

    /**
     * Called when a socket middleware refuses an event.
     *
     * @param listener called with the middleware's error, or with an {@link EventRateLimitedException} for an
     *                 event refused by the rate limit (unless {@code rateLimitErrors} is off)
     * @return this socket
     */
    public Socket onError(Consumer<Throwable> listener) {
        synchronized (this) {
            errorListeners = plus(errorListeners, listener);
        }
        return this;
    }

    // ---- lifecycle ----

    /**
     * Leaves the namespace ("server namespace disconnect"); with {@code close} also closes the connection and
     * every other namespace on it.
     */
    @Override
    public void disconnect(boolean close) {
        client.execute(() -> {
            if (close) {
                client.disconnectAll();
            } else {
                disconnectNow();
            }
        });
    }

    void disconnectNow() {
        if (!connected || closing) {
            return;
        }
        client.writePacket(Packet.disconnect(namespace.name()));
        onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    }

    /** Joined: own room, restored rooms, the CONNECT answer, then what it missed. Runs on the client's loop. */
    void onConnect() {
        connected = true;
        List<String> rooms = new ArrayList<>();
        rooms.add(id);
        if (previous != null) {
            rooms.addAll(previous.rooms());
        }
        namespace.adapter().addAll(id, rooms);
        // Ordered as Node writes it: sid, then pid.
        Map<String, Object> answer = new java.util.LinkedHashMap<>(4);
        answer.put("sid", id);
        if (pid != null) {
            answer.put("pid", pid);
        }
        client.writePacket(Packet.connect(namespace.name(), answer));
        namespace.observer().socketConnected(namespace.name());
        if (previous != null) {
            for (List<Object> missed : previous.missedPackets()) {
                write(Packet.event(namespace.name(), Packet.NO_ID, missed), BroadcastFlags.NONE);
            }
        }
    }

    /**
     * Drops an event over the rate limit: tells the error listeners, and the client at most once a second (a
     * notice per dropped event would let a flood make the server send as much back).
     */
    private void onRateLimited(String event, Ack ack) {
        log.debug("socket {}: event {} dropped by the rate limit", id, event);
        SocketIoOptions o = namespace.server().options();
        Object answer = o.rateLimitedAnswer() == null ? null : o.rateLimitedAnswer().apply(event);
        if (answer != null && ack.requested()) {
            // The client asked for an answer: it gets one now, instead of waiting for one that will not come.
            ack.send(answer);
        } else {
            long now = System.nanoTime();
            String notice = o.rateLimitedEvent();
            if (notice != null && now - lastRateNotice >= 1_000_000_000L) {
                lastRateNotice = now;
                emit(notice, answer != null ? answer : Map.of("event", event));
            }
        }
        if (!errorListeners.isEmpty() && o.rateLimitErrors()) {
            EventRateLimitedException e = new EventRateLimitedException(event);
            client.dispatch(() -> fireError(e));
        }
        if (o.floodDisconnect() > 0 && flooding(o.floodDisconnect())) {
            log.debug("socket {}: {} events refused within {}; disconnecting", id, o.floodDisconnect(),
                    SocketIoOptions.FLOOD_WINDOW);
            disconnect(true);
        }
    }

    /** Counts a refusal; whether the socket has had its allowance of them in the current window. */
    private boolean flooding(int allowance) {
        long now = System.nanoTime();
        if (now - refusalWindowStart > SocketIoOptions.FLOOD_WINDOW.toNanos()) {
            refusalWindowStart = now;
            refusals = 0;
        }
        return ++refusals >= allowance;
    }

    private final java.util.concurrent.atomic.AtomicInteger acksOwed = new java.util.concurrent.atomic.AtomicInteger();
    /** Refusals in the window that began at {@link #refusalWindowStart}; on the client's loop. */
    private int refusals;
    private long refusalWindowStart;

    /** A packet for this namespace from the client; on the client's loop. */
    void onPacket(Packet packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> onEvent(packet);
            case ACK, BINARY_ACK -> onAck(packet);
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
            default -> log.debug("socket {}: ignoring {} packet", id, packet.type());
        }
    }

    private void onEvent(Packet packet) {
        JsonNode data = (JsonNode) packet.data();
        String event = data.get(0).asText();
        namespace.observer().eventReceived(namespace.name(), event);
        Ack ack = packet.hasId() ? new PacketAck(packet.id()) : Ack.NONE;
        if (eventBudget != null && ((heldEvents != null && !heldEvents.isEmpty()) || !eventBudget.tryTake())) {
            SocketIoOptions o = namespace.server().options();
            // Held on this loop, in order, and refused here past the queue: an event the budget cannot take
            // never reaches the shared listener executor, so a flood costs the others nothing there.
            if (o.eventQueue() > 0 && !o.dropWhenRateLimited().contains(event)) {
                if (heldEvents == null) {
                    heldEvents = new java.util.ArrayDeque<>();
                }
                if (heldEvents.size() < o.eventQueue()) {
                    heldEvents.add(packet);
                    if (heldEvents.size() == 1) {
                        releaseHeldLater();
                    }
                    return;
                }
            }
            onRateLimited(event, ack);
            return;
        }
        dispatchEvent(event, data, ack);
    }

    /** Lets held events go as the budget refills; on the client's loop. */
    private void releaseHeldLater() {
        long wait = Math.max(1, eventBudget.nanosUntilNext());
        executor().schedule(() -> {
            while (connected && heldEvents != null && !heldEvents.isEmpty() && eventBudget.tryTake()) {
                Packet next = heldEvents.poll();
                dispatchEvent(((JsonNode) next.data()).get(0).asText(), (JsonNode) next.data(),
                        next.hasId() ? new PacketAck(next.id()) : Ack.NONE);
            }
            if (connected && heldEvents != null && !heldEvents.isEmpty()) {
                releaseHeldLater();
            }
        }, wait, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void dispatchEvent(String event, JsonNode data, Ack ack) {
        if (ack instanceof PacketAck owed) {
            owed.owe();
        }
        List<JsonNode> args = new ArrayList<>(data.size() - 1);
        for (int i = 1; i < data.size(); i++) {
            args.add(data.get(i));
        }
        client.dispatch(() -> {
            // As in Node, onAny sees every inbound event, also those a socket middleware then refuses.
            fireAny(event, args);
            runMiddlewares(0, event, args, ack);
        });
    }

    private void runMiddlewares(int index, String event, List<JsonNode> args, Ack ack) {
        if (index >= middlewares.size()) {
            fireEvent(event, args, ack);
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        SocketMiddleware.Next next = new SocketMiddleware.Next() {
            @Override
            public void ok() {
                if (done.compareAndSet(false, true)) {
                    client.dispatch(() -> runMiddlewares(index + 1, event, args, ack));
                }
            }

            @Override
            public void fail(Exception error) {
                if (done.compareAndSet(false, true)) {
                    client.dispatch(() -> fireError(error));
                }
            }
        };
        try {
            middlewares.get(index).handle(event, args, next);
        } catch (Exception e) {
            next.fail(e);
        }
    }

    private void fireError(Throwable error) {
        if (errorListeners.isEmpty()) {
            log.debug("socket {}: middleware refused an event: {}", id, error.toString());
        }
        for (Consumer<Throwable> l : errorListeners) {
            try {
                l.accept(error);
            } catch (RuntimeException e) {
                log.error("socket {}: error listener failed", id, e);
            }
        }
    }

    private void fireAny(String event, List<JsonNode> args) {
        for (AnyListener l : anyListeners) {
            try {
                l.onEvent(event, args);
            } catch (RuntimeException e) {
                log.error("socket {}: onAny listener failed", id, e);
            }
        }
    }

    private void fireEvent(String event, List<JsonNode> args, Ack ack) {
        if (!connected) {
            return;
        }
        List<EventListener> ls = listeners.get(event);
        if (ls == null) {
            return;
        }
        Args a = new Args(args, namespace.server().mapper());
        for (EventListener l : ls) {
            try {
                l.onEvent(a, ack);
            } catch (Args.ArgumentTypeException e) {
                // A client's wrongly typed argument: its problem, and it must not be able to flood the error log.
                log.debug("socket {}: \"{}\" dropped: {}", id, event, e.getMessage());
            } catch (Exception e) {
                log.error("socket {}: listener for \"{}\" failed", id, event, e);
            }
        }
    }

    private void onAck(Packet packet) {
        Map<Long, Consumer<List<JsonNode>>> waiting = acks;
        Consumer<List<JsonNode>> callback = waiting == null ? null : waiting.remove(packet.id());
        if (callback == null) {
            log.debug("socket {}: unknown or late ack {}", id, packet.id());
            return;
        }
        JsonNode data = (JsonNode) packet.data();
        List<JsonNode> args = new ArrayList<>(data.size());
        data.forEach(args::add);
        try {
            callback.accept(args);
        } catch (RuntimeException e) {
            log.error("socket {}: ack callback failed", id, e);
        }
    }

    /** Leaves the namespace. Runs on the client's loop. */
    void onClose(DisconnectReason reason) {
        if (!connected || closing) {
            // Already leaving: with a listener executor the engine may close before the first reason finished.
            return;
        }
        closing = true;
        client.dispatch(() -> {
            fireAll(disconnectingListeners, reason);
            client.execute(() -> finishClose(reason));
        });
    }

    private void finishClose(DisconnectReason reason) {
        if (!connected) {
            return;
        }
        if (pid != null && reason.recoverable()) {
            namespace.adapter().persistSession(new PersistedSession(id, pid, rooms(), dataSnapshot(), List.of()));
        }
        connected = false;
        namespace.observer().socketDisconnected(namespace.name(), reason.text());
        Set<String> left = namespace.watchesRooms() ? Set.copyOf(namespace.adapter().socketRooms(id)) : null;
        namespace.adapter().delAll(id);
        if (left != null) {
            namespace.roomsLeft(id, left);
        }
        namespace.remove(this);
        client.detach(namespace.name(), this);
        Map<Long, Consumer<List<JsonNode>>> waiting = acks;
        if (waiting != null) {
            waiting.clear();
        }
        client.dispatch(() -> fireAll(disconnectListeners, reason));
    }

    private void fireAll(List<Consumer<DisconnectReason>> ls, DisconnectReason reason) {
        for (Consumer<DisconnectReason> l : ls) {
            try {
                l.accept(reason);
            } catch (RuntimeException e) {
                log.error("socket {}: disconnect listener failed", id, e);
            }
        }
    }

    /**
     * Acknowledgements this socket's handlers owe for events already handed to them: a graceful close waits until
     * none is owed (or its time is up).
     */
    int acksOwed() {
        return acksOwed.get();
    }

    /** Answers one client ack request, once. */
    private final class PacketAck implements Ack {
        private final long ackId;
        private final java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean owed;

        PacketAck(long ackId) {
            this.ackId = ackId;
        }

        /** Handed to a handler: counted until it is sent. */
        void owe() {
            owed = true;
            acksOwed.incrementAndGet();
        }

        @Override
        public boolean requested() {
            return true;
        }

        @Override
        public void send(Object... args) {
            if (sent.compareAndSet(false, true)) {
                try {
                    // null is a value a client may be answered with (List.of would refuse it, and lose the answer).
                    client.writePacket(Packet.ack(namespace.name(), ackId,
                            java.util.Collections.unmodifiableList(java.util.Arrays.asList(args.clone()))));
                } finally {
                    // Counted as sent only once queued on the connection's loop: a graceful close that sees no ack
                    // owed queues its close behind it there (sent from a handler thread, the close could overtake).
                    if (owed) {
                        acksOwed.decrementAndGet();
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Socket[" + id + " on " + namespace.name() + "]";
    }
}
