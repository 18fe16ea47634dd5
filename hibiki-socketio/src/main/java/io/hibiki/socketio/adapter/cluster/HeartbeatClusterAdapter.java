package io.hibiki.socketio.adapter.cluster;

import static io.hibiki.socketio.adapter.cluster.ClusterWire.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.adapter.InMemoryAdapter;
import io.hibiki.socketio.adapter.SocketDetails;
import io.hibiki.socketio.parser.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster logic of Node's {@code ClusterAdapterWithHeartbeat} (socket.io-adapter 2.5), for adapters whose
 * transport only publishes and delivers messages: nodes announce themselves and send heartbeats, so each knows its
 * peers by uid; a request waits for exactly the peers it knows (a peer that goes silent or closes is no longer
 * waited for). A subclass provides the transport: {@link #doPublish} and {@link #doPublishResponse} send the envelope
 * {@code {type, data, uid, nsp}} as plain Java values (maps, lists, strings, numbers, booleans, byte arrays, JSON
 * trees), and every message that arrives is handed to {@link #onMessage}. It calls {@link #start()} once it can
 * receive. Connection state recovery is not available (as with Node's adapters of this kind).
 */
public abstract class HeartbeatClusterAdapter extends InMemoryAdapter {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatClusterAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hibiki-cluster-timers");
        t.setDaemon(true);
        return t;
    });

    private final String uid = ClusterWire.randomId();
    private final HeartbeatSettings heartbeat;
    /** Peer uid → when it was last heard from (nanoTime). */
    private final Map<String, Long> nodes = new ConcurrentHashMap<>();
    private final Map<String, Collect> requests = new ConcurrentHashMap<>();
    private final Map<String, AckRelay> ackRelays = new ConcurrentHashMap<>();
    private volatile long lastPublished = System.nanoTime();
    private volatile long lastAnnounced = System.nanoTime();
    private volatile ScheduledFuture<?> tick;
    private volatile boolean closed;

    /**
     * An adapter for one namespace.
     *
     * @param namespace the namespace served
     * @param heartbeat the heartbeat interval and timeouts
     */
    protected HeartbeatClusterAdapter(AdapterNamespace namespace, HeartbeatSettings heartbeat) {
        super(namespace, new AdapterSettings(null));
        this.heartbeat = heartbeat;
    }

    /**
     * This node's id in its cluster: messages carrying it are its own.
     *
     * @return 16 hex digits, random per adapter
     */
    public final String uid() {
        return uid;
    }

    /**
     * Announces this node (its peers answer with heartbeats, so it learns who they are) and, the first time,
     * starts the heartbeat and peer-expiry timer. A transport calls it once it receives, and again after it was
     * deaf for a while.
     */
    protected final synchronized void start() {
        if (closed) {
            return;
        }
        announce();
        if (tick == null) {
            long period = Math.max(50, Math.min(1000, Math.min(heartbeat.interval().toMillis() / 4,
                    heartbeat.timeout().minus(heartbeat.interval()).toMillis() / 2)));
            tick = TIMERS.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void announce() {
        lastAnnounced = System.nanoTime();
        publish(ClusterWire.INITIAL_HEARTBEAT, null);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            if (now - lastAnnounced >= heartbeat.timeout().toNanos()) {
                // Announced again now and then, not only at start: Node's adapter under socket.io 4.8 is never
                // told to announce itself and stays silent until it first publishes; an announcement makes it
                // answer (and from then on send heartbeats), so a Node node started later is known without traffic.
                announce();
            } else if (now - lastPublished >= heartbeat.interval().toNanos()) {
                publish(ClusterWire.HEARTBEAT, null);
            }
            long timeout = heartbeat.timeout().toNanos();
            for (Map.Entry<String, Long> node : nodes.entrySet()) {
                if (now - node.getValue() > timeout) {
                    log.debug("[{}] node {} seems down", uid, node.getKey());
                    removeNode(node.getKey());
                }
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat tick failed", e);
        }
    }

    /**
     * Sends a message to every node of the namespace (this one may receive it too; it ignores its own).
     *
     * @param message the envelope {@code {type, data?, uid, nsp}}
     * @return completes when the transport has taken the message, exceptionally when it could not
     */
    protected abstract CompletableFuture<?> doPublish(Map<String, Object> message);

    /**
     * Sends a response meant for one node; a transport without private channels may publish it to all (the
     * others ignore a request id they do not know).
     *
     * @param requesterUid the uid of the node that asked
     * @param message      the envelope {@code {type, data, uid, nsp}}
     * @return completes when the transport has taken the message, exceptionally when it could not
     */
    protected abstract CompletableFuture<?> doPublishResponse(String requesterUid, Map<String, Object> message);

    // ---- outgoing ----

    @Override
    public void broadcast(Packet packet, BroadcastOptions opts) {
        if (!opts.flags().local()) {
            publish(ClusterWire.BROADCAST, data("packet", ClusterWire.packet(packet),
                    "opts", ClusterWire.opts(opts, true)));
        }
        broadcastLocally(packet, opts);
    }

    @Override
    public void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<JsonNode> ack) {
        if (!opts.flags().local()) {
            String requestId = ClusterWire.randomId();
            ackRelays.put(requestId, new AckRelay(clientCount, ack));
            Duration keep = opts.flags().timeout() != null ? opts.flags().timeout() : heartbeat.requestsTimeout();
            TIMERS.schedule(() -> ackRelays.remove(requestId), keep.toMillis(), TimeUnit.MILLISECONDS);
            publish(ClusterWire.BROADCAST, data("packet", ClusterWire.packet(packet), "requestId", requestId,
                    "opts", ClusterWire.opts(opts, true)));
        }
        clientCount.accept(broadcastWithAckLocally(packet, opts, ack));
    }

    @Override
    public void addSockets(BroadcastOptions opts, Collection<String> rooms) {
        if (!opts.flags().local()) {
            publish(ClusterWire.SOCKETS_JOIN, data("opts", ClusterWire.opts(opts, true), "rooms", List.copyOf(rooms)));
        }
        super.addSockets(opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Collection<String> rooms) {
        if (!opts.flags().local()) {
            publish(ClusterWire.SOCKETS_LEAVE, data("opts", ClusterWire.opts(opts, true), "rooms", List.copyOf(rooms)));
        }
        super.delSockets(opts, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        if (!opts.flags().local()) {
            publish(ClusterWire.DISCONNECT_SOCKETS, data("opts", ClusterWire.opts(opts, true), "close", close));
        }
        super.disconnectSockets(opts, close);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(1 + nodes.size());
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = fetchLocalSockets(opts);
        if (opts.flags().local() || nodes.isEmpty()) {
            return CompletableFuture.completedFuture(local);
        }
        String requestId = ClusterWire.randomId();
        Duration timeout = opts.flags().timeout() != null ? opts.flags().timeout() : heartbeat.requestsTimeout();
        return request(requestId, ClusterWire.FETCH_SOCKETS, new ArrayList<>(local), timeout,
                data("opts", ClusterWire.opts(opts, true), "requestId", requestId)).thenApply(all -> {
                    List<SocketDetails> sockets = new ArrayList<>(all.size());
                    for (Object s : all) {
                        sockets.add(s instanceof SocketDetails d ? d : JSON.convertValue(s, SocketDetails.class));
                    }
                    return sockets;
                });
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck) {
        if (!wantsAck) {
            publish(ClusterWire.SERVER_SIDE_EMIT, data("packet", args));
            return CompletableFuture.completedFuture(List.of());
        }
        if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        String requestId = ClusterWire.randomId();
        return request(requestId, ClusterWire.SERVER_SIDE_EMIT, new ArrayList<>(), heartbeat.requestsTimeout(),
                data("requestId", requestId, "packet", args));
    }

    /** Publishes a request and collects one answer from each peer known now; fails after {@code timeout}. */
    private CompletableFuture<List<Object>> request(String requestId, int type, List<Object> initial,
                                                    Duration timeout, Map<String, Object> data) {
        Collect c = new Collect(type, new HashSet<>(nodes.keySet()), initial);
        requests.put(requestId, c);
        ScheduledFuture<?> timer = TIMERS.schedule(() -> {
            if (requests.remove(requestId) != null) {
                namespace.observer().adapterRequestTimedOut();
                c.fail();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        c.done.whenComplete((r, e) -> {
            timer.cancel(false);
            requests.remove(requestId);
        });
        publish(type, data);
        return c.done;
    }

    private CompletableFuture<?> publish(int type, Map<String, Object> data) {
        lastPublished = System.nanoTime();
        return observed(() -> doPublish(envelope(type, data)));
    }

    private void publishResponse(String requesterUid, int type, Map<String, Object> data) {
        observed(() -> doPublishResponse(requesterUid, envelope(type, data)));
    }

    private CompletableFuture<?> observed(Supplier<CompletableFuture<?>> send) {
        CompletableFuture<?> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((r, e) -> {
            if (e == null) {
                namespace.observer().adapterPublished();
            } else {
                namespace.observer().adapterError();
                log.debug("[{}] publish failed: {}", uid, e.toString());
            }
        });
    }

    /** {@code {type, data, uid, nsp}} in Node's field order; data fields that are null are left out, as JSON does. */
    private Map<String, Object> envelope(int type, Map<String, Object> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (data != null) {
            Map<String, Object> present = new LinkedHashMap<>();
            data.forEach((k, v) -> {
                if (v != null) {
                    present.put(k, v);
                }
            });
            m.put("data", present);
        }
        m.put("uid", uid);
        m.put("nsp", namespace.name());
        return m;
    }

    // ---- incoming ----

    /**
     * A message from the transport: another node's (this node's own are ignored, as are other namespaces').
     *
     * @param message the decoded envelope
     */
    @SuppressWarnings("unchecked")
    protected void onMessage(Map<String, Object> message) {
        if (!(message.get("uid") instanceof String from) || uid.equals(from)
                || !namespace.name().equals(message.get("nsp")) || !(message.get("type") instanceof Number t)) {
            return;
        }
        namespace.observer().adapterReceived();
        if (!ClusterWire.EMITTER_UID.equals(from)) {
            nodes.put(from, System.nanoTime());
        }
        Map<String, Object> data = message.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        Object requestId = data.get("requestId");
        switch (t.intValue()) {
            case ClusterWire.INITIAL_HEARTBEAT -> publish(ClusterWire.HEARTBEAT, null);
            case ClusterWire.HEARTBEAT -> {
            }
            case ClusterWire.ADAPTER_CLOSE -> removeNode(from);
            case ClusterWire.BROADCAST -> {
                Packet received = ClusterWire.readPacket(data.get("packet"), namespace.name());
                if (received == null) {
                    return;
                }
                BroadcastOptions opts = ClusterWire.readOpts(data.get("opts"));
                if (requestId == null) {
                    broadcastLocally(received, opts);
                    return;
                }
                Packet packet = new Packet(received.type(), received.namespace(), namespace.nextAckId(),
                        received.data());
                int count = broadcastWithAckLocally(packet, new BroadcastOptions(opts.rooms(), opts.except(), null),
                        arg -> publishResponse(from, ClusterWire.BROADCAST_ACK,
                                data("requestId", requestId, "packet", arg)));
                publishResponse(from, ClusterWire.BROADCAST_CLIENT_COUNT,
                        data("requestId", requestId, "clientCount", count));
            }
            case ClusterWire.SOCKETS_JOIN ->
                    super.addSockets(ClusterWire.readOpts(data.get("opts")), ClusterWire.rooms(data.get("rooms")));
            case ClusterWire.SOCKETS_LEAVE ->
                    super.delSockets(ClusterWire.readOpts(data.get("opts")), ClusterWire.rooms(data.get("rooms")));
            case ClusterWire.DISCONNECT_SOCKETS ->
                    super.disconnectSockets(ClusterWire.readOpts(data.get("opts")), Boolean.TRUE.equals(data.get("close")));
            case ClusterWire.FETCH_SOCKETS -> publishResponse(from, ClusterWire.FETCH_SOCKETS_RESPONSE,
                    data("requestId", requestId, "sockets", fetchLocalSockets(ClusterWire.readOpts(data.get("opts")))));
            case ClusterWire.SERVER_SIDE_EMIT -> {
                if (data.get("packet") instanceof List<?> args) {
                    namespace.onServerSideEmit(new ArrayList<>(args), requestId != null).thenAccept(ackArgs -> {
                        if (requestId != null && ackArgs != null) {
                            publishResponse(from, ClusterWire.SERVER_SIDE_EMIT_RESPONSE, data("requestId", requestId,
                                    "packet", ackArgs.isEmpty() ? null : ackArgs.get(0)));
                        }
                    });
                }
            }
            case ClusterWire.BROADCAST_CLIENT_COUNT -> {
                AckRelay relay = requestId == null ? null : ackRelays.get(String.valueOf(requestId));
                if (relay != null && data.get("clientCount") instanceof Number n) {
                    relay.clientCount.accept(n.intValue());
                }
            }
            case ClusterWire.BROADCAST_ACK -> {
                AckRelay relay = requestId == null ? null : ackRelays.get(String.valueOf(requestId));
                if (relay != null) {
                    relay.ack.accept(tree(data.get("packet")));
                }
            }
            case ClusterWire.FETCH_SOCKETS_RESPONSE, ClusterWire.SERVER_SIDE_EMIT_RESPONSE -> {
                Collect c = requestId == null ? null : requests.get(String.valueOf(requestId));
                if (c == null || c.type + 1 != t.intValue()) {
                    return;
                }
                if (t.intValue() == ClusterWire.FETCH_SOCKETS_RESPONSE) {
                    c.answer(from, data.get("sockets") instanceof List<?> l ? l : List.of());
                } else {
                    c.answer(from, Collections.singletonList(tree(data.get("packet"))));
                }
            }
            default -> log.debug("[{}] ignoring message of type {}", uid, t);
        }
    }

    private static JsonNode tree(Object value) {
        return value == null ? NullNode.getInstance() : JSON.valueToTree(value);
    }

    private void removeNode(String node) {
        nodes.remove(node);
        for (Collect c : requests.values()) {
            c.forget(node);
        }
    }

    /**
     * The peers this node knows now (heard from within the heartbeat timeout).
     *
     * @return their uids
     */
    protected final Set<String> peers() {
        return Set.copyOf(nodes.keySet());
    }

    @Override
    public void close() {
        ScheduledFuture<?> t;
        synchronized (this) {
            closed = true;
            t = tick;
        }
        if (t != null) {
            t.cancel(false);
            publish(ClusterWire.ADAPTER_CLOSE, null);
        }
        for (Collect c : requests.values()) {
            c.done.completeExceptionally(new IllegalStateException("adapter closed"));
        }
        requests.clear();
        ackRelays.clear();
        super.close();
    }

    /** A broadcast with acks of ours: the peers' client counts and acks go to the emitter until its timeout. */
    private record AckRelay(IntConsumer clientCount, Consumer<JsonNode> ack) {
    }

    /** A request of ours waiting for one answer from each peer it was sent to. */
    private static final class Collect {
        final int type;
        final Set<String> missing;
        final List<Object> results;
        final CompletableFuture<List<Object>> done = new CompletableFuture<>();

        Collect(int type, Set<String> missing, List<Object> initial) {
            this.type = type;
            this.missing = missing;
            this.results = initial;
        }

        synchronized void answer(String from, List<?> values) {
            if (missing.remove(from)) {
                results.addAll(values);
                completeIfDone();
            }
        }

        synchronized void forget(String node) {
            if (missing.remove(node)) {
                completeIfDone();
            }
        }

        private void completeIfDone() {
            if (missing.isEmpty()) {
                done.complete(Collections.unmodifiableList(new ArrayList<>(results)));
            }
        }

        synchronized void fail() {
            done.completeExceptionally(new ClusterRequestTimeoutException(
                    "timeout reached: missing " + missing.size() + " responses", new ArrayList<>(results)));
        }
    }
}
