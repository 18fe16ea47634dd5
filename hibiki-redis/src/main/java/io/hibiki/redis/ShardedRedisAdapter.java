package io.hibiki.redis;

import static io.hibiki.socketio.adapter.cluster.ClusterWire.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.redis.RedisConnection.Kind;
import io.hibiki.redis.ShardedRedisAdapterOptions.SubscriptionMode;
import io.hibiki.socketio.adapter.AdapterFactory;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.adapter.InMemoryAdapter;
import io.hibiki.socketio.adapter.PersistedSession;
import io.hibiki.socketio.adapter.SocketDetails;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.parser.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded Redis adapter (SPUBLISH/SSUBSCRIBE, Redis 7+), wire-compatible with Node's
 * {@code createShardedAdapter} from {@code @socket.io/redis-adapter} 8.2+. Room logic is the in-memory adapter's;
 * this class adds the messaging (see {@code docs/redis-wire.md} §3).
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder()
 *         .adapter(ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.of("redis://127.0.0.1:6379")))
 *         .build();
 * }</pre>
 * It subscribes to the namespace's main channel, its own response channel and the channel of every room it has
 * members of, so it hears publishers in every subscription mode. A room's channel is subscribed when its first
 * local member joins; a single-room broadcast published on it before Redis confirms that subscription is missed,
 * as with Node's dynamic modes. Connection state recovery is not available.
 */
public final class ShardedRedisAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);

    private final RedisConnection redis;
    private final ShardedRedisAdapterOptions options;
    private final String uid = ClusterWire.randomId();
    private final String channel;
    private final String responseChannel;
    private final PendingRequests requests;
    private final Object roomLock = new Object();
    private final Runnable onClose;

    ShardedRedisAdapter(AdapterNamespace namespace, AdapterSettings settings, RedisConnection redis,
                        ShardedRedisAdapterOptions options, Runnable onClose) {
        super(namespace, new AdapterSettings(null));
        if (settings.recoveryWindow() != null) {
            log.warn("connection state recovery is not supported by the sharded Redis adapter; it is off for {}",
                    namespace.name());
        }
        this.redis = redis;
        this.options = options;
        this.onClose = onClose;
        redis.observe(namespace.observer());
        this.requests = new PendingRequests(namespace.observer()::adapterRequestTimedOut);
        this.channel = options.channelPrefix() + "#" + namespace.name() + "#";
        this.responseChannel = channel + uid + "#";
        redis.subscribe(Kind.SHARD, channel, this::onRaw);
        redis.subscribe(Kind.SHARD, responseChannel, this::onRaw);
    }

    /**
     * An adapter factory sharing one pair of Redis connections among the namespaces of a server. The connections
     * close when the last namespace's adapter closes.
     *
     * @param options where Redis is and how to talk to the cluster
     * @return a factory to pass to the server builder; the connections open with its first adapter
     */
    public static AdapterFactory factory(ShardedRedisAdapterOptions options) {
        SharedConnection shared = new SharedConnection(
                () -> new RedisConnection(options.uri(), options.clientNameOrDefault(), true));
        return (namespace, settings) -> new ShardedRedisAdapter(namespace, settings, shared.acquire(), options,
                shared::release);
    }

    /**
     * This adapter's id on the wire; it also names the adapter's own response channel.
     *
     * @return 16 random hexadecimal digits, fixed for the adapter's life
     */
    public String uid() {
        return uid;
    }

    // ---- room channels: one subscription per room with local members ----

    @Override
    public void addAll(String socketId, Collection<String> rooms) {
        synchronized (roomLock) {
            List<String> created = rooms.stream().filter(r -> !hasLocalMembers(r)).distinct().toList();
            super.addAll(socketId, rooms);
            created.forEach(r -> redis.subscribe(Kind.SHARD, channel + r + "#", this::onRaw));
        }
    }

    @Override
    public void del(String socketId, String room) {
        synchronized (roomLock) {
            super.del(socketId, room);
            if (!hasLocalMembers(room)) {
                redis.unsubscribe(Kind.SHARD, channel + room + "#");
            }
        }
    }

    @Override
    public void delAll(String socketId) {
        synchronized (roomLock) {
            Set<String> rooms = socketRooms(socketId);
            super.delAll(socketId);
            rooms.stream().filter(r -> !hasLocalMembers(r))
                    .forEach(r -> redis.unsubscribe(Kind.SHARD, channel + r + "#"));
        }
    }

    // ---- our operations: applied here, then published ----

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        super.broadcast(packet, opts);
        if (!opts.flags().local()) {
            publish(ClusterWire.BROADCAST, data("packet", ClusterWire.packet(packet),
                    "opts", ClusterWire.opts(opts, true)), roomChannel(opts));
        }
    }

    /** Where a broadcast without ack goes: a room's own channel in the dynamic modes, else the main channel. */
    private String roomChannel(BroadcastOptions opts) {
        if (opts.rooms().size() != 1) {
            return channel;
        }
        String room = opts.rooms().iterator().next();
        boolean dynamic = options.subscriptionMode() == SubscriptionMode.DYNAMIC_PRIVATE
                || options.subscriptionMode() == SubscriptionMode.DYNAMIC && room.length() != 20;
        return dynamic ? channel + room + "#" : channel;
    }

    @Override
    public void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<JsonNode> ack) {
        if (!opts.flags().local()) {
            String requestId = ClusterWire.randomId();
            Duration keep = opts.flags().timeout() != null ? opts.flags().timeout() : options.requestsTimeout();
            requests.relay(requestId, ClusterWire.BROADCAST, clientCount, ack, keep);
            publish(ClusterWire.BROADCAST, data("packet", ClusterWire.packet(packet), "requestId", requestId,
                    "opts", ClusterWire.opts(opts, true)), channel);
        }
        clientCount.accept(broadcastWithAckLocally(packet, opts, ack));
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        super.addSockets(opts, rooms);
        if (!opts.flags().local()) {
            publish(ClusterWire.SOCKETS_JOIN, data("opts", ClusterWire.opts(opts, true), "rooms", List.copyOf(rooms)),
                    channel);
        }
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        super.delSockets(opts, rooms);
        if (!opts.flags().local()) {
            publish(ClusterWire.SOCKETS_LEAVE, data("opts", ClusterWire.opts(opts, true), "rooms", List.copyOf(rooms)),
                    channel);
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        super.disconnectSockets(opts, close);
        if (!opts.flags().local()) {
            publish(ClusterWire.DISCONNECT_SOCKETS, data("opts", ClusterWire.opts(opts, true), "close", close),
                    channel);
        }
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = fetchLocalSockets(opts);
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(local);
        }
        Duration timeout = opts.flags().timeout() != null ? opts.flags().timeout() : options.requestsTimeout();
        String requestId = ClusterWire.randomId();
        return ask(requestId, ClusterWire.FETCH_SOCKETS, timeout,
                got -> "timeout reached while waiting for fetchSockets response",
                data("opts", ClusterWire.opts(opts, true), "requestId", requestId)).thenApply(replies -> {
                    List<SocketDetails> all = new ArrayList<>(local);
                    for (Object reply : replies) {
                        for (Object s : (List<?>) reply) {
                            all.add(Codec.JSON.convertValue(s, SocketDetails.class));
                        }
                    }
                    return all;
                });
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck) {
        if (!wantsAck) {
            publish(ClusterWire.SERVER_SIDE_EMIT, data("packet", args), channel);
            return CompletableFuture.completedFuture(List.of());
        }
        String requestId = ClusterWire.randomId();
        return ask(requestId, ClusterWire.SERVER_SIDE_EMIT, options.requestsTimeout(), null,
                data("requestId", requestId, "packet", args));
    }

    /** Publishes a request to every other node and collects one reply from each (serverCount − 1). */
    private CompletableFuture<List<Object>> ask(String requestId, int type, Duration timeout,
                                                java.util.function.IntFunction<String> message,
                                                Map<String, Object> data) {
        return serverCount().thenCompose(count -> {
            int expected = count - 1;
            if (expected <= 0) {
                return CompletableFuture.completedFuture(List.<Object>of());
            }
            return requests.collect(requestId, type, expected, timeout, message != null ? message
                    : got -> "timeout reached: only " + got + " responses received out of " + expected,
                    () -> publish(type, data, channel));
        });
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return redis.shardNumsub(channel).thenApply(Long::intValue);
    }

    @Override
    public void persistSession(PersistedSession session) {
        // Not supported by this adapter: reconnecting clients get a new session.
    }

    @Override
    public CompletableFuture<PersistedSession> restoreSession(String pid, String offset) {
        return CompletableFuture.completedFuture(null);
    }

    private void publish(int type, Map<String, Object> data, String target) {
        redis.spublish(target, ClusterMessage.encode(type, data, uid, namespace.name()));
    }

    private void respond(Object requesterUid, int type, Map<String, Object> data) {
        redis.spublish(channel + requesterUid + "#", ClusterMessage.encode(type, data, uid, namespace.name()));
    }

    // ---- messages from peers ----

    private void onRaw(String from, byte[] raw) {
        Map<String, Object> message = Codec.decodeMap(raw);
        if (message == null || !(message.get("type") instanceof Number t)
                || !(message.get("data") instanceof Map<?, ?> d)) {
            return;
        }
        @SuppressWarnings("unchecked") Map<String, Object> data = (Map<String, Object>) d;
        int type = t.intValue();
        if (from.equals(responseChannel)) {
            onResponse(type, data);
        } else if (!uid.equals(message.get("uid")) && namespace.name().equals(message.get("nsp"))) {
            onMessage(type, data, message.get("uid"));
        }
    }

    private void onMessage(int type, Map<String, Object> data, Object from) {
        BroadcastOptions opts = ClusterWire.readOpts(data.get("opts"));
        Object requestId = data.get("requestId");
        switch (type) {
            case ClusterWire.BROADCAST -> {
                Packet packet = ClusterWire.readPacket(data.get("packet"), namespace.name());
                if (packet == null) {
                    return;
                }
                if (requestId == null) {
                    broadcastLocally(packet, opts);
                } else {
                    onBroadcastWithAck(packet, opts, from, requestId);
                }
            }
            case ClusterWire.SOCKETS_JOIN -> super.addSockets(opts, ClusterWire.rooms(data.get("rooms")));
            case ClusterWire.SOCKETS_LEAVE -> super.delSockets(opts, ClusterWire.rooms(data.get("rooms")));
            case ClusterWire.DISCONNECT_SOCKETS ->
                    super.disconnectSockets(opts, Boolean.TRUE.equals(data.get("close")));
            case ClusterWire.FETCH_SOCKETS -> respond(from, ClusterWire.FETCH_SOCKETS_RESPONSE,
                    data("requestId", requestId, "sockets", fetchLocalSockets(opts)));
            case ClusterWire.SERVER_SIDE_EMIT -> {
                if (data.get("packet") instanceof List<?> args) {
                    namespace.onServerSideEmit(new ArrayList<>(args), requestId != null).thenAccept(ackArgs -> {
                        if (requestId != null && ackArgs != null) {
                            respond(from, ClusterWire.SERVER_SIDE_EMIT_RESPONSE, data("requestId", requestId,
                                    "packet", ackArgs == null || ackArgs.isEmpty() ? null : ackArgs.get(0)));
                        }
                    });
                }
            }
            case ClusterWire.FETCH_SOCKETS_RESPONSE, ClusterWire.SERVER_SIDE_EMIT_RESPONSE,
                    ClusterWire.BROADCAST_CLIENT_COUNT, ClusterWire.BROADCAST_ACK -> onResponse(type, data);
            default -> log.debug("ignoring cluster message type {}", type);
        }
    }

    private void onBroadcastWithAck(Packet received, BroadcastOptions opts, Object from, Object requestId) {
        // Ack ids are per node: ours number our clients' acks.
        Packet packet = new Packet(received.type(), received.namespace(), namespace.nextAckId(), received.data());
        // The requester must see our client count before any ack: acks wait until it is published.
        CompletableFuture<Void> counted = new CompletableFuture<>();
        int count = broadcastWithAckLocally(packet, opts, ack -> counted.thenRun(() -> respond(from,
                ClusterWire.BROADCAST_ACK, data("requestId", requestId, "packet", ack))));
        respond(from, ClusterWire.BROADCAST_CLIENT_COUNT, data("requestId", requestId, "clientCount", count));
        counted.complete(null);
    }

    private void onResponse(int type, Map<String, Object> data) {
        PendingRequests.Pending pending = requests.get(data.get("requestId"));
        if (pending == null) {
            return;
        }
        switch (type) {
            case ClusterWire.BROADCAST_CLIENT_COUNT -> {
                if (pending.clientCount != null && data.get("clientCount") instanceof Number n) {
                    pending.clientCount.accept(n.intValue());
                }
            }
            case ClusterWire.BROADCAST_ACK -> {
                if (pending.ack != null) {
                    pending.ack.accept(Codec.JSON.valueToTree(data.get("packet")));
                }
            }
            case ClusterWire.FETCH_SOCKETS_RESPONSE -> {
                if (pending.type == ClusterWire.FETCH_SOCKETS && data.get("sockets") instanceof List<?> l) {
                    pending.add(l);
                }
            }
            case ClusterWire.SERVER_SIDE_EMIT_RESPONSE -> {
                if (pending.type == ClusterWire.SERVER_SIDE_EMIT) {
                    pending.add(Codec.JSON.valueToTree(data.get("packet")));
                }
            }
            default -> log.debug("ignoring cluster response type {}", type);
        }
    }

    /** Called once the Redis link is whole again after a dropped connection or a failed publish. */
    @Override
    public void onClusterGap(Runnable listener) {
        redis.onGap(listener);
    }

    @Override
    public void close() {
        redis.unsubscribe(Kind.SHARD, channel);
        redis.unsubscribe(Kind.SHARD, responseChannel);
        synchronized (roomLock) {
            rooms().keySet().forEach(r -> redis.unsubscribe(Kind.SHARD, channel + r + "#"));
        }
        requests.failAll("adapter closed");
        super.close();
        onClose.run();
    }

    @Override
    public boolean linked() {
        return redis.linked();
    }
}
