package io.hibiki.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.socketio.parser.EncodedPacket;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import io.netty.util.concurrent.EventExecutor;

/**
 * The single-node adapter: room membership in two concurrent maps ({@code room → sockets} and
 * {@code socket → rooms}), broadcasts encoded once and written to every recipient. With connection state
 * recovery on it also keeps broadcast packets and dropped sessions for the recovery window
 * ({@link RecoveryStore}).
 *
 * <p>Cluster adapters extend this class: they call {@link #broadcastLocally} for packets from peers and add
 * their messaging around the public methods; the room logic stays here.
 */
public class InMemoryAdapter implements Adapter {

    protected final AdapterNamespace namespace;
    protected final AdapterSettings settings;
    private final ConcurrentHashMap<String, Set<String>> roomMembers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> socketRooms = new ConcurrentHashMap<>();
    private final RecoveryStore recovery;

    /**
     * An adapter for one namespace; it keeps recent broadcasts and dropped sessions when the settings have a
     * recovery window.
     *
     * @param namespace the namespace served
     * @param settings  the server settings; a non-null recovery window turns connection state recovery on
     */
    public InMemoryAdapter(AdapterNamespace namespace, AdapterSettings settings) {
        this.namespace = namespace;
        this.settings = settings;
        Duration window = settings.recoveryWindow();
        this.recovery = window == null ? null : new RecoveryStore(window);
    }

    /**
     * The factory for {@code SocketIoServer.builder().adapter(...)}; this is the default.
     *
     * @return a factory making an {@code InMemoryAdapter} per namespace
     */
    public static AdapterFactory factory() {
        return InMemoryAdapter::new;
    }

    @Override
    public void addAll(String socketId, Collection<String> rooms) {
        socketRooms.compute(socketId, (k, joined) -> {
            Set<String> set = joined;
            for (String room : rooms) {
                set = plus(set, room);
            }
            return set;
        });
        for (String room : rooms) {
            roomMembers.compute(room, (k, members) -> plus(members, socketId));
        }
    }

    @Override
    public void del(String socketId, String room) {
        // A socket with no room left still exists: everyone-broadcasts and fetchSockets pick from these keys.
        socketRooms.computeIfPresent(socketId, (k, joined) -> {
            Set<String> rest = minus(joined, room);
            return rest == null ? Set.of() : rest;
        });
        roomMembers.computeIfPresent(room, (k, members) -> minus(members, socketId));
    }

    @Override
    public void delAll(String socketId) {
        Set<String> rooms = socketRooms.remove(socketId);
        if (rooms == null) {
            return;
        }
        for (String room : rooms) {
            roomMembers.computeIfPresent(room, (k, members) -> minus(members, socketId));
        }
    }

    /*
     * Room sets, as values of the two maps, change only inside the maps' compute functions. Most are tiny (every
     * socket has its own room with one member, and is in a handful of rooms), so they start as immutable sets,
     * replaced on each change, and only a set that grows past SMALL becomes a concurrent set changed in place.
     * Readers get either a snapshot or a concurrent set: both are safe to iterate.
     */
    private static final int SMALL = 8;

    /** The set with {@code id} added: possibly a new set, never {@code null}. */
    private static Set<String> plus(Set<String> set, String id) {
        if (set == null) {
            return Set.of(id);
        }
        if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
            set.add(id);
            return set;
        }
        if (set.contains(id)) {
            return set;
        }
        if (set.size() < SMALL) {
            String[] ids = set.toArray(new String[set.size() + 1]);
            ids[ids.length - 1] = id;
            return Set.of(ids);
        }
        Set<String> big = ConcurrentHashMap.newKeySet();
        big.addAll(set);
        big.add(id);
        return big;
    }

    /** The set without {@code id}, or {@code null} when that leaves it empty (the entry is then removed). */
    private static Set<String> minus(Set<String> set, String id) {
        if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
            set.remove(id);
            return set.isEmpty() ? null : set;
        }
        if (!set.contains(id)) {
            return set;
        }
        if (set.size() == 1) {
            return null;
        }
        Set<String> rest = new HashSet<>(set);
        rest.remove(id);
        return Set.copyOf(rest);
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        Set<String> rooms = socketRooms.get(socketId);
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }

    @Override
    public Set<String> sockets(Set<String> rooms) {
        Set<String> ids = new HashSet<>();
        forEachRecipient(rooms, Set.of(), id -> ids.add(id));
        return ids;
    }

    @Override
    public Map<String, Set<String>> rooms() {
        Map<String, Set<String>> copy = new HashMap<>();
        roomMembers.forEach((room, members) -> copy.put(room, Set.copyOf(members)));
        return copy;
    }

    /** Whether a room has a member on this node (cluster adapters drop room messages for absent rooms). */
    protected boolean hasLocalMembers(String room) {
        return roomMembers.containsKey(room);
    }

    /**
     * Writes to the local recipients. With recovery on, an event also gets an offset as its last argument (the
     * client reports the last offset it saw) and is kept for the window, from the same encoding that is sent.
     */
    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        if (recovery == null || packet.type() != PacketType.EVENT || packet.hasId() || opts.flags().volatileEmit()
                || !(packet.data() instanceof List<?> data)) {
            broadcastLocally(packet, opts);
            return;
        }
        List<Object> withOffset = new ArrayList<>(data.size() + 1);
        withOffset.addAll(data);
        String offset = recovery.nextOffset();
        withOffset.add(offset);
        Packet recoverable = new Packet(packet.type(), packet.namespace(), packet.id(), withOffset);
        EncodedPacket encoded = namespace.encoder().encode(recoverable);
        recovery.store(offset, withOffset, encoded, opts);
        broadcastLocally(recoverable, encoded, opts);
    }

    /** Encodes once and writes to every local recipient. */
    protected void broadcastLocally(Packet packet, BroadcastOptions opts) {
        broadcastLocally(packet, namespace.encoder().encode(packet), opts);
    }

    private void broadcastLocally(Packet packet, EncodedPacket encodedPacket, BroadcastOptions opts) {
        EncodedMessages encoded = EncodedMessages.of(encodedPacket);
        try {
            int recipients = fanOut(opts, encoded, socket -> {
                socket.notifyOutgoing(packet);
                socket.deliver(encoded, opts.flags());
            });
            observeSent(packet, recipients, encoded);
        } finally {
            encoded.release();
        }
    }

    /**
     * One observer call per broadcast, with its count: nothing per recipient on the fan-out path. Called before
     * the creator's reference on {@code encoded} is released.
     */
    private void observeSent(Packet packet, int recipients, EncodedMessages encoded) {
        ServerObserver observer = namespace.observer();
        if (observer != ServerObserver.NONE) {
            observer.eventSent(namespace.name(), eventName(packet), recipients, encoded.bytes());
        }
    }

    /** Emitted here: a list; arrived from another node: a JSON array. */
    private static String eventName(Packet packet) {
        if (packet.data() instanceof List<?> data && !data.isEmpty()) {
            return String.valueOf(data.get(0));
        }
        if (packet.data() instanceof JsonNode data && data.isArray() && !data.isEmpty()) {
            return data.get(0).asText();
        }
        return "";
    }


    @Override
    public void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount, Consumer<JsonNode> ack) {
        clientCount.accept(broadcastWithAckLocally(packet, opts, ack));
    }

    /**
     * Sends to local recipients expecting acks; returns how many were addressed (each is expected to ack, as in
     * Node, so a volatile drop ends in the emitter's timeout rather than in a silent short count).
     */
    protected int broadcastWithAckLocally(Packet packet, BroadcastOptions opts, Consumer<JsonNode> ack) {
        EncodedMessages encoded = EncodedMessages.of(namespace.encoder().encode(packet));
        int recipients;
        try {
            recipients = fanOut(opts, encoded, socket -> {
                socket.expectAck(packet.id(), args -> ack.accept(args.isEmpty() ? null : args.get(0)));
                socket.notifyOutgoing(packet);
                socket.deliver(encoded, opts.flags());
            });
            observeSent(packet, recipients, encoded);
        } finally {
            encoded.release();
        }
        return recipients;
    }

    /**
     * Runs {@code write} for every recipient on the recipient's own event loop, one task per loop rather than
     * one per socket: a broadcast to thousands of sockets wakes each loop once and the writes of one loop are
     * flushed together. Recipients on the calling loop are written inline. Returns the number of recipients.
     */
    private int fanOut(BroadcastOptions opts, EncodedMessages encoded, Consumer<LocalSocket> write) {
        Map<EventExecutor, List<LocalSocket>> remote = null;
        int count = 0;
        for (LocalSocket socket : matchingLocalSockets(opts)) {
            count++;
            EventExecutor loop = socket.executor();
            if (loop == null || loop.inEventLoop()) {
                write.accept(socket);
            } else {
                if (remote == null) {
                    remote = new HashMap<>();
                }
                remote.computeIfAbsent(loop, k -> new ArrayList<>()).add(socket);
            }
        }
        if (remote != null) {
            for (Map.Entry<EventExecutor, List<LocalSocket>> batch : remote.entrySet()) {
                encoded.retain();
                List<LocalSocket> sockets = batch.getValue();
                batch.getKey().execute(() -> {
                    try {
                        for (LocalSocket s : sockets) {
                            write.accept(s);
                        }
                    } finally {
                        encoded.release();
                    }
                });
            }
        }
        return count;
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        return CompletableFuture.completedFuture(fetchLocalSockets(opts));
    }

    protected List<SocketDetails> fetchLocalSockets(BroadcastOptions opts) {
        List<SocketDetails> out = new ArrayList<>();
        forEachLocalSocket(opts, socket -> out.add(socket.details()));
        return out;
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        for (LocalSocket s : matchingLocalSockets(opts)) {
            s.joinAll(rooms);
        }
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        for (LocalSocket s : matchingLocalSockets(opts)) {
            rooms.forEach(s::leave);
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        for (LocalSocket s : matchingLocalSockets(opts)) {
            s.disconnect(close);
        }
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck) {
        // A single node has no peers to tell.
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(1);
    }

    @Override
    public void persistSession(PersistedSession session) {
        if (recovery != null) {
            recovery.persist(session);
        }
    }

    @Override
    public CompletableFuture<PersistedSession> restoreSession(String pid, String offset) {
        return CompletableFuture.completedFuture(recovery == null ? null : recovery.restore(pid, offset));
    }

    @Override
    public void close() {
        roomMembers.clear();
        socketRooms.clear();
    }

    /** A snapshot of the matching local sockets, for operations that change membership while iterating. */
    protected List<LocalSocket> matchingLocalSockets(BroadcastOptions opts) {
        List<LocalSocket> out = new ArrayList<>();
        forEachLocalSocket(opts, out::add);
        return out;
    }

    protected void forEachLocalSocket(BroadcastOptions opts, Consumer<LocalSocket> action) {
        forEachRecipient(opts.rooms(), opts.except(), id -> {
            LocalSocket s = namespace.localSocket(id);
            if (s != null) {
                action.accept(s);
            }
        });
    }

    /** Each member of any of {@code rooms} (everyone when empty) not in any of {@code except}, once. */
    private void forEachRecipient(Set<String> rooms, Set<String> except, Consumer<String> action) {
        Set<String> excluded = except.isEmpty() ? Set.of() : membersOf(except);
        if (rooms.isEmpty()) {
            for (String id : socketRooms.keySet()) {
                if (!excluded.contains(id)) {
                    action.accept(id);
                }
            }
            return;
        }
        if (rooms.size() == 1) {
            Set<String> members = roomMembers.get(rooms.iterator().next());
            if (members != null) {
                for (String id : members) {
                    if (!excluded.contains(id)) {
                        action.accept(id);
                    }
                }
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String room : rooms) {
            Set<String> members = roomMembers.get(room);
            if (members == null) {
                continue;
            }
            for (String id : members) {
                if (!excluded.contains(id) && seen.add(id)) {
                    action.accept(id);
                }
            }
        }
    }

    private Set<String> membersOf(Set<String> rooms) {
        Set<String> out = new HashSet<>();
        for (String room : rooms) {
            Set<String> members = roomMembers.get(room);
            if (members != null) {
                out.addAll(members);
            }
        }
        return out;
    }
}
