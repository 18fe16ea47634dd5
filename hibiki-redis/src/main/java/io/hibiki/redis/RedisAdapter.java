package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.msgpack.MsgPackException;
import io.hibiki.socketio.msgpack.MsgPackReader;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import io.hibiki.socketio.adapter.AdapterFactory;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.adapter.InMemoryAdapter;
import io.hibiki.socketio.adapter.PersistedSession;
import io.hibiki.socketio.adapter.SocketDetails;
import io.hibiki.socketio.parser.Packet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic Redis pub/sub adapter, byte-compatible with Node's {@code @socket.io/redis-adapter} 8.x: Java and
 * Node servers on one Redis form one cluster. Room logic is the in-memory adapter's; this class adds the
 * messaging (see {@code docs/redis-wire.md} §1).
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder()
 *         .adapter(RedisAdapter.factory(RedisAdapterOptions.of("redis://127.0.0.1:6379")))
 *         .build();
 * }</pre>
 * Connection state recovery is not available with this adapter (as in Node); clients fall back to a new session.
 */
public final class RedisAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);
    private static final ObjectMapper JSON = Codec.JSON;

    private final RedisConnection redis;
    private final RedisAdapterOptions options;
    private final String uid = ClassicWire.randomId();
    private final String channel;
    private final String requestChannel;
    private final String responseChannel;
    private final String specificResponseChannel;
    private final PendingRequests requests;
    private final Runnable onClose;

    RedisAdapter(AdapterNamespace namespace, AdapterSettings settings, RedisConnection redis,
                 RedisAdapterOptions options, Runnable onClose) {
        super(namespace, new AdapterSettings(null));
        if (settings.recoveryWindow() != null) {
            log.warn("connection state recovery is not supported by the Redis pub/sub adapter; it is off for {}",
                    namespace.name());
        }
        this.redis = redis;
        this.options = options;
        this.onClose = onClose;
        redis.observe(namespace.observer());
        this.requests = new PendingRequests(namespace.observer()::adapterRequestTimedOut);
        String nsp = namespace.name();
        this.channel = options.key() + "#" + nsp + "#";
        this.requestChannel = options.key() + "-request#" + nsp + "#";
        this.responseChannel = options.key() + "-response#" + nsp + "#";
        this.specificResponseChannel = responseChannel + uid + "#";
        redis.subscribe(RedisConnection.Kind.PATTERN, channel + "*", this::onBroadcast);
        redis.subscribe(RedisConnection.Kind.CHANNEL, requestChannel, (c, m) -> onRequest(m));
        redis.subscribe(RedisConnection.Kind.CHANNEL, responseChannel, (c, m) -> onResponse(m));
        redis.subscribe(RedisConnection.Kind.CHANNEL, specificResponseChannel, (c, m) -> onResponse(m));
    }

    /**
     * An adapter factory sharing one pair of Redis connections among the namespaces of a server. The connections
     * close when the last namespace's adapter closes.
     *
     * @param options where Redis is and how to talk to the cluster
     * @return a factory to pass to the server builder; the connections open with its first adapter
     */
    public static AdapterFactory factory(RedisAdapterOptions options) {
        SharedConnection shared = new SharedConnection(
                () -> new RedisConnection(options.uri(), options.clientNameOrDefault(), true));
        return (namespace, settings) -> new RedisAdapter(namespace, settings, shared.acquire(), options,
                shared::release);
    }

    /**
     * This adapter's id on the wire.
     *
     * @return six random characters, fixed for the adapter's life
     */
    public String uid() {
        return uid;
    }

    /**
     * The name of this server's Redis connections in {@code CLIENT LIST}.
     *
     * @return the configured client name, or the generated {@code hibiki-<random id>}
     */
    public String redisClientName() {
        return redis.clientName();
    }

    // ---- broadcasting ----

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        super.broadcast(packet, opts);
        if (!opts.flags().local()) {
            List<Object> message = List.of(uid, ClassicWire.packet(packet, JSON),
                    ClusterWire.opts(opts, true));
            String target = opts.rooms().size() == 1 ? channel + opts.rooms().iterator().next() + "#" : channel;
            redis.publish(target, MsgPackWriter.write(message));
        }
    }

    private void onBroadcast(String fromChannel, byte[] message) {
        if (!fromChannel.startsWith(channel)) {
            return;
        }
        String room = fromChannel.substring(channel.length());
        if (room.endsWith("#")) {
            room = room.substring(0, room.length() - 1);
        }
        if (!room.isEmpty() && !hasLocalMembers(room)) {
            return;
        }
        Object decoded;
        try {
            decoded = MsgPackReader.read(message);
        } catch (MsgPackException e) {
            log.debug("ignoring malformed broadcast on {}: {}", fromChannel, e.getMessage());
            return;
        }
        if (!(decoded instanceof List<?> parts) || parts.size() < 3 || uid.equals(parts.get(0))) {
            return;
        }
        Object nsp = parts.get(1) instanceof Map<?, ?> p ? p.get("nsp") : null;
        if (nsp != null && !namespace.name().equals(nsp)) {
            return;
        }
        Packet packet = ClusterWire.readPacket(parts.get(1), namespace.name());
        if (packet != null) {
            broadcastLocally(packet, ClusterWire.readOpts(parts.get(2)));
        }
    }

    @Override
    public void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<JsonNode> ack) {
        int local = broadcastWithAckLocally(packet, opts, ack);
        clientCount.accept(local);
        if (opts.flags().local()) {
            return;
        }
        String requestId = ClassicWire.randomId();
        requests.relay(requestId, ClassicWire.BROADCAST, clientCount, ack,
                opts.flags().timeout() != null ? opts.flags().timeout() : options.requestsTimeout());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", uid);
        request.put("requestId", requestId);
        request.put("type", ClassicWire.BROADCAST);
        request.put("packet", ClassicWire.packet(packet, JSON));
        request.put("opts", ClusterWire.opts(opts, true));
        redis.publish(requestChannel, MsgPackWriter.write(request));
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return redis.numsub(requestChannel).thenApply(Long::intValue);
    }

    // ---- requests of ours ----

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = fetchLocalSockets(opts);
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(local);
        }
        Map<String, Object> req = request(ClassicWire.REMOTE_FETCH);
        req.put("opts", ClusterWire.opts(opts, false));
        return ask(req, "fetchSockets").thenApply(replies -> {
            List<SocketDetails> all = new ArrayList<>(local);
            for (Object reply : replies) {
                if (reply instanceof Map<?, ?> m && m.get("sockets") instanceof List<?> sockets) {
                    for (Object s : sockets) {
                        all.add(JSON.convertValue(s, SocketDetails.class));
                    }
                }
            }
            return all;
        });
    }

    /**
     * Every room on every node (Node's {@code allRooms}).
     *
     * @return a future of the sorted room names, socket ids included; it fails with
     *         {@link RedisRequestTimeoutException} when a node does not answer within the requests timeout
     */
    public CompletableFuture<Set<String>> allRooms() {
        return ask(request(ClassicWire.ALL_ROOMS), "allRooms").thenApply(replies -> {
            Set<String> rooms = new java.util.TreeSet<>(rooms().keySet());
            for (Object reply : replies) {
                if (reply instanceof Map<?, ?> m) {
                    rooms.addAll(ClusterWire.rooms(m.get("rooms")));
                }
            }
            return rooms;
        });
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        super.addSockets(opts, rooms);
        publishMembership(ClassicWire.REMOTE_JOIN, opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        super.delSockets(opts, rooms);
        publishMembership(ClassicWire.REMOTE_LEAVE, opts, rooms);
    }

    private void publishMembership(int type, BroadcastOptions opts, Collection<String> rooms) {
        if (opts.flags().local()) {
            return;
        }
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("uid", uid);
        req.put("type", type);
        req.put("opts", ClusterWire.opts(opts, false));
        req.put("rooms", List.copyOf(rooms));
        redis.publish(requestChannel, json(req));
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        super.disconnectSockets(opts, close);
        if (opts.flags().local()) {
            return;
        }
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("uid", uid);
        req.put("type", ClassicWire.REMOTE_DISCONNECT);
        req.put("opts", ClusterWire.opts(opts, false));
        req.put("close", close);
        redis.publish(requestChannel, json(req));
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("uid", uid);
        req.put("type", ClassicWire.SERVER_SIDE_EMIT);
        req.put("data", JSON.valueToTree(args));
        if (!wantsAck) {
            redis.publish(requestChannel, json(req));
            return CompletableFuture.completedFuture(List.of());
        }
        String requestId = ClassicWire.randomId();
        req.put("requestId", requestId);
        return serverCount().thenCompose(count -> {
            if (count <= 1) {
                return CompletableFuture.completedFuture(List.<Object>of());
            }
            return requests.collect(requestId, ClassicWire.SERVER_SIDE_EMIT, count - 1, options.requestsTimeout(),
                    got -> "timeout reached: only " + got + " responses received out of " + (count - 1),
                    () -> redis.publish(requestChannel, json(req)));
        });
    }

    @Override
    public void persistSession(PersistedSession session) {
        // Not supported by this adapter (as in Node): reconnecting clients get a new session.
    }

    @Override
    public CompletableFuture<PersistedSession> restoreSession(String pid, String offset) {
        return CompletableFuture.completedFuture(null);
    }

    private Map<String, Object> request(int type) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("uid", uid);
        req.put("requestId", ClassicWire.randomId());
        req.put("type", type);
        return req;
    }

    /** Publishes a request and waits for one reply per other node, or fails after requestsTimeout. */
    private CompletableFuture<List<Object>> ask(Map<String, Object> req, String what) {
        String requestId = (String) req.get("requestId");
        return serverCount().thenCompose(count -> {
            if (count <= 1) {
                return CompletableFuture.completedFuture(List.<Object>of());
            }
            return requests.collect(requestId, (Integer) req.get("type"), count - 1, options.requestsTimeout(),
                    got -> "timeout reached while waiting for " + what + " response",
                    () -> redis.publish(requestChannel, json(req)));
        });
    }

    // ---- requests from peers ----

    private void onRequest(byte[] message) {
        Map<String, Object> req = Codec.decodeMap(message);
        if (req == null || !(req.get("type") instanceof Number t)) {
            return;
        }
        Object requestId = req.get("requestId");
        boolean own = uid.equals(req.get("uid"));
        if (req.get("sid") instanceof String sid && !req.containsKey("opts")) {
            onLegacyRequest(t.intValue(), sid, req);
            return;
        }
        switch (t.intValue()) {
            case ClassicWire.SOCKETS -> {
                if (!own && requestId != null && !requests.isOurs(requestId)) {
                    Set<String> ids = sockets(ClusterWire.rooms(req.get("rooms")));
                    reply(req, Map.of("requestId", requestId, "sockets", List.copyOf(ids)));
                }
            }
            case ClassicWire.ALL_ROOMS -> {
                if (!own && requestId != null && !requests.isOurs(requestId)) {
                    reply(req, Map.of("requestId", requestId, "rooms", List.copyOf(rooms().keySet())));
                }
            }
            case ClassicWire.REMOTE_FETCH -> {
                if (!own && requestId != null && !requests.isOurs(requestId)) {
                    List<SocketDetails> sockets = fetchLocalSockets(ClusterWire.readOpts(req.get("opts")));
                    reply(req, Map.of("requestId", requestId, "sockets", sockets));
                }
            }
            case ClassicWire.REMOTE_JOIN -> {
                if (!own) {
                    super.addSockets(ClusterWire.readOpts(req.get("opts")), ClusterWire.rooms(req.get("rooms")));
                }
            }
            case ClassicWire.REMOTE_LEAVE -> {
                if (!own) {
                    super.delSockets(ClusterWire.readOpts(req.get("opts")), ClusterWire.rooms(req.get("rooms")));
                }
            }
            case ClassicWire.REMOTE_DISCONNECT -> {
                if (!own) {
                    super.disconnectSockets(ClusterWire.readOpts(req.get("opts")), Boolean.TRUE.equals(req.get("close")));
                }
            }
            case ClassicWire.SERVER_SIDE_EMIT -> {
                if (!own && req.get("data") instanceof List<?> data) {
                    onServerSideEmit(new ArrayList<>(data), requestId);
                }
            }
            case ClassicWire.BROADCAST -> {
                if (!own && requestId != null && !requests.isOurs(requestId)) {
                    onBroadcastWithAck(req, String.valueOf(requestId));
                }
            }
            default -> log.debug("ignoring request type {}", t);
        }
    }

    /** Requests of 7.x peers naming one socket: act and answer only where that socket is connected. */
    private void onLegacyRequest(int type, String sid, Map<String, Object> req) {
        var socket = namespace.localSocket(sid);
        if (socket == null || type < ClassicWire.REMOTE_JOIN || type > ClassicWire.REMOTE_DISCONNECT) {
            return;
        }
        switch (type) {
            case ClassicWire.REMOTE_JOIN -> socket.joinAll(List.of(String.valueOf(req.get("room"))));
            case ClassicWire.REMOTE_LEAVE -> socket.leave(String.valueOf(req.get("room")));
            default -> socket.disconnect(Boolean.TRUE.equals(req.get("close")));
        }
        if (req.get("requestId") != null) {
            reply(req, Map.of("requestId", req.get("requestId")));
        }
    }

    private void onServerSideEmit(List<Object> data, Object requestId) {
        namespace.onServerSideEmit(data, requestId != null).thenAccept(ackArgs -> {
            if (requestId != null && ackArgs != null) {
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("type", ClassicWire.SERVER_SIDE_EMIT);
                res.put("requestId", requestId);
                res.put("data", ackArgs == null || ackArgs.isEmpty() ? null : ackArgs.get(0));
                redis.publish(responseChannel, json(res));
            }
        });
    }

    private void onBroadcastWithAck(Map<String, Object> req, String requestId) {
        Packet received = ClusterWire.readPacket(req.get("packet"), namespace.name());
        if (received == null) {
            return;
        }
        // Ack ids are per node: the requester's id means nothing to our clients' acks.
        Packet packet = new Packet(received.type(), received.namespace(), namespace.nextAckId(), received.data());
        BroadcastOptions opts = ClusterWire.readOpts(req.get("opts"));
        // Remote flags are not applied to the local delivery, as in Node (the requester owns the timeout).
        BroadcastOptions local = new BroadcastOptions(opts.rooms(), opts.except(), null);
        String target = responseTarget(req);
        // The requester must see our client count before any ack: acks wait until it is published.
        CompletableFuture<Void> counted = new CompletableFuture<>();
        int count = broadcastWithAckLocally(packet, local, ackArg -> counted.thenRun(() -> {
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("type", ClassicWire.BROADCAST_ACK);
            res.put("requestId", requestId);
            res.put("packet", ackArg);
            redis.publish(target, MsgPackWriter.write(res));
        }));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("type", ClassicWire.BROADCAST_CLIENT_COUNT);
        res.put("requestId", requestId);
        res.put("clientCount", count);
        redis.publish(target, json(res));
        counted.complete(null);
    }

    private void reply(Map<String, Object> req, Map<String, Object> response) {
        redis.publish(responseTarget(req), json(response));
    }

    private String responseTarget(Map<String, Object> req) {
        return options.publishOnSpecificResponseChannel() && req.get("uid") instanceof String u
                ? responseChannel + u + "#" : responseChannel;
    }

    // ---- responses to our requests ----

    private void onResponse(byte[] message) {
        Map<String, Object> res = Codec.decodeMap(message);
        if (res == null) {
            return;
        }
        PendingRequests.Pending pending = requests.get(res.get("requestId"));
        if (pending == null) {
            return;
        }
        switch (pending.type) {
            case ClassicWire.BROADCAST -> {
                Object type = res.get("type");
                if (type instanceof Number n && n.intValue() == ClassicWire.BROADCAST_CLIENT_COUNT) {
                    if (res.get("clientCount") instanceof Number count) {
                        pending.clientCount.accept(count.intValue());
                    }
                } else if (type instanceof Number n && n.intValue() == ClassicWire.BROADCAST_ACK) {
                    pending.ack.accept(JSON.valueToTree(res.get("packet")));
                }
            }
            case ClassicWire.SERVER_SIDE_EMIT -> pending.add(JSON.valueToTree(res.get("data")));
            default -> pending.add(res);
        }
    }

    private static byte[] json(Object value) {
        return Codec.json(value);
    }

    /** Called once the Redis link is whole again after a dropped connection or a failed publish. */
    @Override
    public void onClusterGap(Runnable listener) {
        redis.onGap(listener);
    }

    @Override
    public void close() {
        redis.unsubscribe(RedisConnection.Kind.PATTERN, channel + "*");
        redis.unsubscribe(RedisConnection.Kind.CHANNEL, requestChannel);
        redis.unsubscribe(RedisConnection.Kind.CHANNEL, responseChannel);
        redis.unsubscribe(RedisConnection.Kind.CHANNEL, specificResponseChannel);
        requests.failAll("adapter closed");
        super.close();
        onClose.run();
    }

    @Override
    public boolean linked() {
        return redis.linked();
    }
}
