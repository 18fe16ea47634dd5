package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.msgpack.MsgPackException;
import io.hibiki.socketio.msgpack.MsgPackReader;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import io.hibiki.socketio.adapter.Adapter;
import io.hibiki.socketio.adapter.AdapterFactory;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.adapter.InMemoryAdapter;
import io.hibiki.socketio.adapter.PersistedSession;
import io.hibiki.socketio.adapter.SocketDetails;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams adapter, compatible with Node's {@code @socket.io/redis-streams-adapter} 0.3: broadcasts and
 * membership changes go through a stream (durable, so a client that reconnects to any node can recover what it
 * missed), requests and acks through pub/sub. Connection state recovery works across instances: offsets are
 * stream entry ids and dropped sessions are kept in Redis. See {@code docs/redis-wire.md} §5.
 */
public final class RedisStreamsAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OFFSET = Pattern.compile("[0-9]+-[0-9]+");
    /** What restores replayed ahead of the live path, so that it is not delivered twice. */
    private final ReplayedEntries replayed = new ReplayedEntries();
    private static final int RESTORE_MAX_XRANGE_CALLS = 100;
    /** Session restores read the stream with blocking calls; they run here, never on an event loop. */
    private static final ScheduledExecutorService RESTORES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hibiki-redis-streams-restore");
        t.setDaemon(true);
        return t;
    });

    private final StreamsConnection streams;
    private final RedisStreamsOptions options;
    private final Duration recoveryWindow;
    private final String uid = ClusterWire.randomId();
    private final String publicChannel;
    private final String privateChannel;
    private final PendingRequests requests;
    private final Runnable onClose;

    private RedisStreamsAdapter(AdapterNamespace namespace, AdapterSettings settings, StreamsConnection streams,
                                RedisStreamsOptions options, Runnable onClose) {
        // Recovery is done here, in Redis, not by the in-memory store.
        super(namespace, new AdapterSettings(null));
        this.recoveryWindow = settings.recoveryWindow();
        this.streams = streams;
        this.options = options;
        this.onClose = onClose;
        streams.pubsub().observe(namespace.observer());
        this.requests = new PendingRequests(namespace.observer()::adapterRequestTimedOut);
        this.publicChannel = options.channelPrefix() + "#" + namespace.name() + "#";
        this.privateChannel = publicChannel + uid + "#";
        streams.register(namespace.name(), this::onEntry);
        streams.pubsub().subscribe(RedisConnection.Kind.CHANNEL, publicChannel, (c, m) -> onEphemeral(m));
        streams.pubsub().subscribe(RedisConnection.Kind.CHANNEL, privateChannel, (c, m) -> onEphemeral(m));
    }

    /**
     * A factory sharing one reader and one set of connections among a server's namespaces. They open with the
     * first adapter and close when the last one closes.
     *
     * @param options where Redis is, the stream and key names, and the read and request settings
     * @return a factory to pass to the server builder
     * @throws IllegalArgumentException for a Redis Cluster URI: this adapter needs one Redis server
     */
    public static AdapterFactory factory(RedisStreamsOptions options) {
        if (RedisTarget.parse(options.uri()).cluster()) {
            throw new IllegalArgumentException("the Streams adapter needs a single Redis server; for a Redis Cluster "
                    + "use RedisAdapter or ShardedRedisAdapter");
        }
        return new AdapterFactory() {
            private StreamsConnection shared;

            @Override
            public synchronized Adapter create(AdapterNamespace namespace, AdapterSettings settings) {
                if (shared == null) {
                    shared = new StreamsConnection(options);
                }
                StreamsConnection conn = shared;
                return new RedisStreamsAdapter(namespace, settings, conn, options, () -> release(conn));
            }

            private synchronized void release(StreamsConnection conn) {
                if (conn.idle() && shared == conn) {
                    conn.close();
                    shared = null;
                }
            }
        };
    }

    // ---- durable path: the stream ----

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        boolean recoverable = recoveryWindow != null && packet.type() == PacketType.EVENT && !packet.hasId()
                && !opts.flags().volatileEmit() && packet.data() instanceof List<?>;
        if (opts.flags().local() && !recoverable) {
            broadcastLocally(packet, opts);
            return;
        }
        // Even a "local" emit (a socket's own) is written to the stream when it must be recoverable: other nodes
        // have no member of its room and deliver nothing, but a reconnect to them can replay it.
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("packet", ClusterWire.packet(packet));
        data.put("opts", optsMap(opts));
        append(ClusterWire.BROADCAST, data).whenComplete((offset, error) -> {
            if (error != null) {
                log.warn("broadcast not written to the stream: {}", error.getMessage());
                broadcastLocally(packet, opts);
            } else {
                broadcastLocally(recoverable ? withOffset(packet, offset) : packet,
                        recoverable ? replayed.excluding(opts, offset) : opts);
            }
        });
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        super.addSockets(opts, rooms);
        if (!opts.flags().local()) {
            append(ClusterWire.SOCKETS_JOIN, Map.of("opts", optsMap(opts), "rooms", List.copyOf(rooms)));
        }
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        super.delSockets(opts, rooms);
        if (!opts.flags().local()) {
            append(ClusterWire.SOCKETS_LEAVE, Map.of("opts", optsMap(opts), "rooms", List.copyOf(rooms)));
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        super.disconnectSockets(opts, close);
        if (!opts.flags().local()) {
            append(ClusterWire.DISCONNECT_SOCKETS, Map.of("opts", optsMap(opts), "close", close));
        }
    }

    /** XADD {uid, nsp, type, data}; completes with the entry id. */
    private CompletableFuture<String> append(int type, Object data) {
        return appendOnce(type, data).whenComplete((id, e) -> {
            if (e == null) {
                namespace.observer().adapterPublished();
            } else {
                namespace.observer().adapterError();
            }
        });
    }

    private CompletableFuture<String> appendOnce(int type, Object data) {
        StatefulRedisConnection<String, String> c = streams.commands();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis unreachable"));
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("uid", uid);
        body.put("nsp", namespace.name());
        body.put("type", Integer.toString(type));
        body.put("data", encodeData(type, data));
        try {
            return c.async().xadd(options.streamName(),
                    XAddArgs.Builder.maxlen(options.maxLen()).approximateTrimming(), body).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void onEntry(Map<String, String> body, String offset) {
        if (uid.equals(body.get("uid"))) {
            return;
        }
        namespace.observer().adapterReceived();
        int type;
        Map<String, Object> data;
        try {
            type = Integer.parseInt(body.getOrDefault("type", "-1"));
            data = decodeData(body.get("data"));
        } catch (RuntimeException | IOException | MsgPackException e) {
            log.warn("ignoring malformed stream entry {}: {}", offset, e.toString());
            return;
        }
        if (data == null) {
            return;
        }
        BroadcastOptions opts = ClusterWire.readOpts(data.get("opts"));
        switch (type) {
            case ClusterWire.BROADCAST -> {
                if (data.get("requestId") != null) {
                    return;
                }
                Packet packet = ClusterWire.readPacket(data.get("packet"), namespace.name());
                if (packet != null) {
                    boolean recoverable = recoveryWindow != null && !packet.hasId() && !opts.flags().volatileEmit();
                    broadcastLocally(recoverable ? withOffset(packet, offset) : packet,
                            recoverable ? replayed.excluding(opts, offset) : opts);
                }
            }
            case ClusterWire.SOCKETS_JOIN -> super.addSockets(opts, ClusterWire.rooms(data.get("rooms")));
            case ClusterWire.SOCKETS_LEAVE -> super.delSockets(opts, ClusterWire.rooms(data.get("rooms")));
            case ClusterWire.DISCONNECT_SOCKETS -> super.disconnectSockets(opts, Boolean.TRUE.equals(data.get("close")));
            default -> log.debug("ignoring stream entry of type {}", type);
        }
    }

    // ---- ephemeral path: pub/sub ----

    @Override
    public void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<JsonNode> ack) {
        if (!opts.flags().local()) {
            String requestId = ClusterWire.randomId();
            requests.relay(requestId, ClusterWire.BROADCAST, clientCount, ack,
                    opts.flags().timeout() != null ? opts.flags().timeout() : options.requestsTimeout());
            publish(publicChannel, ClusterWire.BROADCAST, ClusterWire.data("packet", ClusterWire.packet(packet),
                    "requestId", requestId, "opts", optsMap(opts)));
        }
        clientCount.accept(broadcastWithAckLocally(packet, opts, ack));
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return streams.pubsub().numsub(publicChannel).thenApply(Long::intValue);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = fetchLocalSockets(opts);
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(local);
        }
        return serverCount().thenCompose(count -> {
            if (count <= 1) {
                return CompletableFuture.completedFuture(local);
            }
            String requestId = ClusterWire.randomId();
            return requests.collect(requestId, ClusterWire.FETCH_SOCKETS, count - 1, timeout(opts.flags().timeout()),
                    n -> "timeout reached: only " + n + " responses received out of " + (count - 1),
                    () -> publish(publicChannel, ClusterWire.FETCH_SOCKETS,
                            ClusterWire.data("opts", optsMap(opts), "requestId", requestId))).thenApply(replies -> {
                List<SocketDetails> all = new ArrayList<>(local);
                for (Object reply : replies) {
                    if (reply instanceof List<?> sockets) {
                        for (Object s : sockets) {
                            all.add(JSON.convertValue(s, SocketDetails.class));
                        }
                    }
                }
                return all;
            });
        });
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck) {
        if (!wantsAck) {
            publish(publicChannel, ClusterWire.SERVER_SIDE_EMIT, Map.of("packet", JSON.valueToTree(args)));
            return CompletableFuture.completedFuture(List.of());
        }
        return serverCount().thenCompose(count -> {
            if (count <= 1) {
                return CompletableFuture.completedFuture(List.<Object>of());
            }
            String requestId = ClusterWire.randomId();
            return requests.collect(requestId, ClusterWire.SERVER_SIDE_EMIT, count - 1, timeout(null),
                    n -> "timeout reached: only " + n + " responses received out of " + (count - 1),
                    () -> publish(publicChannel, ClusterWire.SERVER_SIDE_EMIT,
                            ClusterWire.data("requestId", requestId, "packet", JSON.valueToTree(args))));
        });
    }

    private Duration timeout(Duration requested) {
        return requested != null ? requested : options.requestsTimeout();
    }

    /** The envelope {type, data, uid, nsp} as @msgpack/msgpack writes it, always MessagePack here. */
    private void publish(String channel, int type, Object data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("data", data);
        envelope.put("uid", uid);
        envelope.put("nsp", namespace.name());
        streams.pubsub().publish(channel, MsgPackWriter.write(JSON.valueToTree(envelope)));
    }

    @SuppressWarnings("unchecked")
    private void onEphemeral(byte[] message) {
        Object decoded;
        try {
            decoded = MsgPackReader.read(message);
        } catch (MsgPackException e) {
            log.warn("ignoring malformed message on {}: {}", publicChannel, e.getMessage());
            return;
        }
        if (!(decoded instanceof Map<?, ?> m) || uid.equals(m.get("uid")) || !namespace.name().equals(m.get("nsp"))
                || !(m.get("type") instanceof Number t) || !(m.get("data") instanceof Map<?, ?> rawData)) {
            return;
        }
        Map<String, Object> data = (Map<String, Object>) rawData;
        String requester = String.valueOf(m.get("uid"));
        Object requestId = data.get("requestId");
        switch (t.intValue()) {
            case ClusterWire.BROADCAST -> {
                Packet received = ClusterWire.readPacket(data.get("packet"), namespace.name());
                if (received == null || requestId == null) {
                    return;
                }
                Packet packet = new Packet(received.type(), received.namespace(), namespace.nextAckId(), received.data());
                BroadcastOptions opts = ClusterWire.readOpts(data.get("opts"));
                String reply = replyChannel(requester);
                int count = broadcastWithAckLocally(packet, new BroadcastOptions(opts.rooms(), opts.except(), null),
                        arg -> publish(reply, ClusterWire.BROADCAST_ACK, ClusterWire.data("requestId", requestId, "packet", arg)));
                publish(reply, ClusterWire.BROADCAST_CLIENT_COUNT, ClusterWire.data("requestId", requestId, "clientCount", count));
            }
            case ClusterWire.FETCH_SOCKETS -> publish(replyChannel(requester), ClusterWire.FETCH_SOCKETS_RESPONSE, ClusterWire.data("requestId", requestId,
                    "sockets", fetchLocalSockets(ClusterWire.readOpts(data.get("opts")))));
            case ClusterWire.SERVER_SIDE_EMIT -> {
                if (data.get("packet") instanceof List<?> args) {
                    namespace.onServerSideEmit(new ArrayList<>(args), requestId != null).thenAccept(ackArgs -> {
                        if (requestId != null && ackArgs != null) {
                            publish(replyChannel(requester), ClusterWire.SERVER_SIDE_EMIT_RESPONSE, ClusterWire.data("requestId", requestId,
                                    "packet", ackArgs == null || ackArgs.isEmpty() ? null : ackArgs.get(0)));
                        }
                    });
                }
            }
            case ClusterWire.FETCH_SOCKETS_RESPONSE, ClusterWire.SERVER_SIDE_EMIT_RESPONSE, ClusterWire.BROADCAST_CLIENT_COUNT, ClusterWire.BROADCAST_ACK ->
                    onResponse(t.intValue(), data);
            default -> log.debug("ignoring message of type {}", t);
        }
    }

    private void onResponse(int type, Map<String, Object> data) {
        PendingRequests.Pending pending = requests.get(data.get("requestId"));
        if (pending == null) {
            return;
        }
        switch (type) {
            case ClusterWire.BROADCAST_CLIENT_COUNT -> pending.clientCount.accept(((Number) data.get("clientCount")).intValue());
            case ClusterWire.BROADCAST_ACK -> pending.ack.accept(JSON.valueToTree(data.get("packet")));
            case ClusterWire.FETCH_SOCKETS_RESPONSE -> pending.add(data.get("sockets"));
            case ClusterWire.SERVER_SIDE_EMIT_RESPONSE -> pending.add(JSON.valueToTree(data.get("packet")));
            default -> {
            }
        }
    }

    private String replyChannel(String requesterUid) {
        return publicChannel + requesterUid + "#";
    }

    // ---- connection state recovery ----

    @Override
    public void persistSession(PersistedSession session) {
        StatefulRedisConnection<String, String> c = streams.commands();
        if (c == null || recoveryWindow == null) {
            return;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sid", session.sid());
        s.put("pid", session.pid());
        s.put("rooms", List.copyOf(session.rooms()));
        s.put("data", session.data());
        String encoded = Base64.getEncoder().encodeToString(MsgPackWriter.write(JSON.valueToTree(s)));
        c.async().set(options.sessionKeyPrefix() + session.pid(), encoded,
                SetArgs.Builder.px(recoveryWindow.toMillis()));
    }

    @Override
    public CompletableFuture<PersistedSession> restoreSession(String pid, String offset) {
        StatefulRedisConnection<String, String> c = streams.commands();
        if (c == null || recoveryWindow == null || !OFFSET.matcher(offset).matches()) {
            return CompletableFuture.completedFuture(null);
        }
        // Blocking reads, off the event loop that asked.
        return CompletableFuture.supplyAsync(() -> restore(c, pid, offset), RESTORES);
    }

    @SuppressWarnings("unchecked")
    private PersistedSession restore(StatefulRedisConnection<String, String> c, String pid, String offset) {
        try {
            String key = options.sessionKeyPrefix() + pid;
            String raw = c.sync().getdel(key);
            if (raw == null || c.sync().xrange(options.streamName(),
                    io.lettuce.core.Range.create(offset, offset)).isEmpty()) {
                return null;
            }
            Map<String, Object> s = (Map<String, Object>) MsgPackReader.read(Base64.getDecoder().decode(raw));
            LinkedHashSet<String> rooms = new LinkedHashSet<>(ClusterWire.rooms(s.get("rooms")));
            List<List<Object>> missed = new ArrayList<>();
            String from = offset;
            for (int i = 0; i < RESTORE_MAX_XRANGE_CALLS; i++) {
                var entries = c.sync().xrange(options.streamName(), io.lettuce.core.Range.create(next(from), "+"));
                if (entries.isEmpty()) {
                    break;
                }
                for (var e : entries) {
                    Map<String, String> body = e.getBody();
                    if (namespace.name().equals(body.get("nsp")) && "3".equals(body.get("type"))) {
                        Map<String, Object> data = decodeData(body.get("data"));
                        BroadcastOptions opts = ClusterWire.readOpts(data.get("opts"));
                        Packet p = ClusterWire.readPacket(data.get("packet"), namespace.name());
                        if (p != null && data.get("requestId") == null && included(rooms, opts)) {
                            List<Object> d = new ArrayList<>((List<?>) p.data());
                            d.add(e.getId());
                            missed.add(d);
                        }
                    }
                    from = e.getId();
                }
            }
            String sid = String.valueOf(s.get("sid"));
            if (!from.equals(offset)) {
                replayed.replayed(sid, from);
            }
            return new PersistedSession(sid, pid, rooms, s.get("data"), missed);
        } catch (RuntimeException | IOException | MsgPackException e) {
            log.warn("session {} could not be restored: {}", pid, e.toString());
            return null;
        }
    }

    private static boolean included(java.util.Set<String> rooms, BroadcastOptions opts) {
        boolean in = opts.rooms().isEmpty() || opts.rooms().stream().anyMatch(rooms::contains);
        return in && rooms.stream().noneMatch(opts.except()::contains);
    }

    /** The id right after {@code offset} (exclusive ranges need Redis 6.2; this works everywhere). */
    private static String next(String offset) {
        int dash = offset.indexOf('-');
        return offset.substring(0, dash) + "-" + (Long.parseLong(offset.substring(dash + 1)) + 1);
    }

    // ---- codec ----

    private static Packet withOffset(Packet packet, String offset) {
        List<Object> data = new ArrayList<>((List<?>) packet.data());
        data.add(offset);
        return new Packet(packet.type(), packet.namespace(), packet.id(), data);
    }


    private static Map<String, Object> optsMap(BroadcastOptions o) {
        return ClusterWire.opts(o, true);
    }

    /** JSON text, or base64 MessagePack when the data holds binary (types that may carry it). */
    private static String encodeData(int type, Object data) {
        JsonNode tree = JSON.valueToTree(data);
        boolean mayHoldBinary = type == ClusterWire.BROADCAST || type == ClusterWire.FETCH_SOCKETS_RESPONSE || type == ClusterWire.SERVER_SIDE_EMIT
                || type == ClusterWire.SERVER_SIDE_EMIT_RESPONSE || type == ClusterWire.BROADCAST_ACK;
        if (mayHoldBinary && ClusterWire.hasBinary(tree)) {
            return Base64.getEncoder().encodeToString(MsgPackWriter.write(tree));
        }
        return tree.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decodeData(String raw) throws IOException, MsgPackException {
        if (raw == null) {
            return null;
        }
        Object decoded = raw.startsWith("{") ? JSON.readValue(raw, Map.class)
                : MsgPackReader.read(Base64.getDecoder().decode(raw));
        return decoded instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @Override
    public void close() {
        requests.failAll("adapter closed");
        streams.unregister(namespace.name());
        streams.pubsub().unsubscribe(RedisConnection.Kind.CHANNEL, publicChannel);
        streams.pubsub().unsubscribe(RedisConnection.Kind.CHANNEL, privateChannel);
        super.close();
        onClose.run();
    }

    @Override
    public boolean linked() {
        return streams.pubsub().linked();
    }
}
