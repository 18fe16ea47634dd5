package io.hibiki.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis connections one server shares among its namespaces' adapters (or one emitter uses): one for
 * publishing and commands and, unless publish-only, one for subscriptions. Both carry a client name
 * ({@code CLIENT SETNAME}) so operators can tell them apart in {@code CLIENT LIST}.
 *
 * <p>Redis may be one server or a Redis Cluster ({@link RedisTarget}). On a cluster, channel and pattern
 * subscriptions go to one node (the cluster bus carries every PUBLISH to all nodes), each shard channel's
 * subscription goes to the node that owns its slot, and subscriber counts are summed over the primaries (each
 * node counts only its own subscribers), as Node's adapters do with a cluster client.
 *
 * <p>If Redis is down at start, or goes away later, the node keeps serving its own clients: publishes fail fast
 * (logged once per outage; on a cluster they wait for their node, at most 10 000 per connection, then fail), connecting is retried until Redis is back, Lettuce reconnects established connections
 * (backing off to at most 2 s between attempts) and restores
 * their confirmed subscriptions, and a subscription that Redis never confirmed (asked for while it was away) is
 * retried until it is.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    private static final long RETRY_MS = 1000;
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
    private static final int CLUSTER_QUEUE = 10_000;

    /** The three kinds of subscription Redis has. */
    enum Kind { CHANNEL, PATTERN, SHARD }

    private final ClientResources resources;
    /** A {@link RedisClient}, or a {@link RedisClusterClient} for a cluster. */
    private final AbstractRedisClient client;
    private final String clientName;
    /** Where Redis is, for logs (no credentials). */
    private final String address;
    private final boolean subscriber;
    private final Map<Kind, Map<String, BiConsumer<String, byte[]>>> handlers = new EnumMap<>(Kind.class);
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hibiki-redis-connect");
        t.setDaemon(true);
        return t;
    });
    /** A {@link StatefulRedisConnection}, or a {@link StatefulRedisClusterConnection} for a cluster. */
    private volatile StatefulConnection<byte[], byte[]> pub;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private volatile boolean closed;
    /** Set while Redis is away: the first failure is a warning, the rest debug lines until Redis answers again. */
    private final java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
    /** A connection dropped or a publish failed since the last time the link was whole: traffic may be missing. */
    private final java.util.concurrent.atomic.AtomicBoolean gapPending = new java.util.concurrent.atomic.AtomicBoolean();
    /** A look at the link, asked for by a failed command, is scheduled (one at a time however many fail). */
    private final java.util.concurrent.atomic.AtomicBoolean checkAsked =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Runnable> gapListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The observers of the servers using this connection (usually one), for the adapter counters. */
    private final java.util.Set<io.hibiki.socketio.observer.ServerObserver> observers =
            new java.util.concurrent.CopyOnWriteArraySet<>();

    /**
     * @param uri        the Redis URI
     * @param clientName the name both connections give themselves
     * @param subscriber whether to open the subscription connection (an emitter only publishes)
     */
    RedisConnection(String uri, String clientName, boolean subscriber) {
        for (Kind k : Kind.values()) {
            handlers.put(k, new ConcurrentHashMap<>());
        }
        this.clientName = clientName;
        this.subscriber = subscriber;
        RedisTarget target = RedisTarget.parse(uri);
        for (RedisURI node : target.nodes()) {
            node.setTimeout(Duration.ofSeconds(5));
            node.setClientName(clientName);
        }
        this.address = target.address();
        // Lettuce's default reconnect backoff grows to 30 s; a node should rejoin its cluster soon after Redis is back.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ZERO, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        if (target.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, target.nodes());
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    // Lettuce opens a node's connection on first use, and refusing commands while disconnected
                    // would fail the very commands that open it (early broadcasts were lost that way). So on a
                    // cluster commands wait for their node, up to a bounded queue per connection.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .requestQueueSize(CLUSTER_QUEUE)
                    // Follow failovers and resharding: refresh on redirects and disconnects, and now and then.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            this.client = cluster;
        } else {
            RedisClient single = RedisClient.create(resources, target.nodes().get(0));
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    // While Redis is away, fail publishes at once instead of queueing them without bound.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            this.client = single;
        }
        connect();
    }

    /** The name these connections have in {@code CLIENT LIST}. */
    String clientName() {
        return clientName;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        try {
            if (pub == null) {
                pub = client instanceof RedisClusterClient cluster ? cluster.connect(ByteArrayCodec.INSTANCE)
                        : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
            }
            if (subscriber && sub == null) {
                StatefulRedisPubSubConnection<byte[], byte[]> s = client instanceof RedisClusterClient cluster
                        ? cluster.connectPubSub(ByteArrayCodec.INSTANCE)
                        : ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
                if (s instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> clusterSub) {
                    // Shard subscriptions live on per-node connections; their messages reach the listener below.
                    clusterSub.setNodeMessagePropagation(true);
                }
                s.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] channel, byte[] message) {
                        dispatch(Kind.CHANNEL, str(channel), str(channel), message);
                    }

                    @Override
                    public void message(byte[] pattern, byte[] channel, byte[] message) {
                        dispatch(Kind.PATTERN, str(pattern), str(channel), message);
                    }

                    @Override
                    public void smessage(byte[] channel, byte[] message) {
                        dispatch(Kind.SHARD, str(channel), str(channel), message);
                    }

                    @Override
                    public void sunsubscribed(byte[] channel, long count) {
                        // Redis drops shard subscriptions whose slot moved to another node (resharding, failover).
                        // A channel still wanted is asked for again: on a cluster that goes to its new owner (a
                        // stale slot table answers MOVED, and the retry comes after the topology refresh).
                        String name = str(channel);
                        if (!closed && handlers.get(Kind.SHARD).containsKey(name)) {
                            retryRequest(Kind.SHARD, name, new IllegalStateException("unsubscribed by Redis"));
                        }
                    }
                });
                sub = s;
                handlers.forEach((kind, map) -> map.keySet().forEach(name -> request(kind, name)));
                // Lettuce restores only the subscriptions Redis had confirmed; one asked for (or being restored)
                // when the connection died again would be lost. Ask for every wanted one after each reconnect:
                // subscribing twice is harmless.
                client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
                    @Override
                    public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection,
                                                 java.net.SocketAddress address) {
                        // On a cluster the shard subscriptions are on per-node subscription connections, which
                        // reconnect on their own: ask again after any of those comes back.
                        boolean subscriptions = connection == sub || (client instanceof RedisClusterClient
                                && connection instanceof StatefulRedisPubSubConnection);
                        if (subscriptions && !closed) {
                            handlers.forEach((kind, map) -> map.keySet().forEach(name -> request(kind, name)));
                        }
                        checkWhole();
                    }

                    @Override
                    public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                        if (!closed) {
                            gapPending.set(true);
                        }
                    }
                });
            }
            log.info("Redis connections {} open to {}", clientName, address);
            away.set(false);
        } catch (RuntimeException e) {
            failed("Redis unreachable", e);
            retry.schedule(this::connect, 2, TimeUnit.SECONDS);
        }
    }

    /** Logs a failure caused by Redis being away: once as a warning, then at debug level until it is back. */
    private void failed(String what, Throwable e) {
        gapPending.set(true);
        // A command can fail while both connections stay open (no reconnect event follows): without this look,
        // the gap would be announced only by the next command that succeeds, and with no further traffic never.
        if (checkAsked.compareAndSet(false, true)) {
            try {
                retry.schedule(() -> {
                    checkAsked.set(false);
                    checkWhole();
                }, RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                checkAsked.set(false);
            }
        }
        if (away.compareAndSet(false, true)) {
            log.warn("{} for {} at {} ({}); serving local clients only until Redis is back", what, clientName,
                    address, e.getMessage());
        } else {
            log.debug("{} for {}: {}", what, clientName, e.getMessage());
        }
    }

    private void succeeded() {
        if (away.compareAndSet(true, false)) {
            log.info("Redis reachable again for {}", clientName);
        }
        checkWhole();
    }

    /** Connections open and the last command answered: what {@link io.hibiki.socketio.adapter.Adapter#linked} says. */
    boolean linked() {
        StatefulConnection<byte[], byte[]> p = pub;
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        return !closed && !away.get() && p != null && p.isOpen() && (!subscriber || (s != null && s.isOpen()));
    }

    /** Counts this connection's publishes, receipts and failures for a server's observer. */
    void observe(io.hibiki.socketio.observer.ServerObserver observer) {
        if (observer != io.hibiki.socketio.observer.ServerObserver.NONE) {
            observers.add(observer);
        }
    }

    /** Registers a listener for {@link io.hibiki.socketio.adapter.Adapter#onClusterGap}. */
    void onGap(Runnable listener) {
        gapListeners.add(listener);
    }

    /**
     * After a gap: once both connections are open and every wanted subscription is confirmed again, tells the
     * gap listeners (once per gap). Anything published from then on is received, so a re-sync started by a
     * listener misses nothing.
     */
    private void checkWhole() {
        StatefulConnection<byte[], byte[]> p = pub;
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (!gapPending.get() || closed) {
            return;
        }
        if (p == null || !p.isOpen() || (subscriber && (s == null || !s.isOpen()))) {
            // A connection is not back yet, or Lettuce told us before it counts itself open: look again shortly
            // rather than wait for an event that may already have passed.
            try {
                retry.schedule(this::checkWhole, RETRY_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                // nothing left to tell
            }
            return;
        }
        List<CompletableFuture<Void>> confirmed = new ArrayList<>();
        handlers.forEach((kind, map) -> map.keySet().forEach(name -> confirmed.add(request(kind, name))));
        // Publishing must work too: announcing a gap while Redis still refuses PUBLISH would have every listener
        // re-sync (and publish, and fail) again each time this is looked at.
        confirmed.add(probe(p));
        CompletableFuture.allOf(confirmed.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (e != null) {
                try {
                    retry.schedule(this::checkWhole, RETRY_MS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                    // nothing left to tell
                }
            } else if (gapPending.compareAndSet(true, false)) {
                log.info("Redis link of {} whole again; telling {} listener(s) that traffic may have been missed",
                        clientName, gapListeners.size());
                gapListeners.forEach(l -> {
                    try {
                        l.run();
                    } catch (RuntimeException ex) {
                        log.error("cluster gap listener failed", ex);
                    }
                });
            }
        });
    }

    /** A PUBLISH to a channel nobody listens to: whether Redis takes publishes now. */
    private CompletableFuture<Void> probe(StatefulConnection<byte[], byte[]> p) {
        try {
            return commands(p).publish(bytes("hibiki-probe#" + clientName), new byte[0]).toCompletableFuture()
                    .thenApply(n -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void dispatch(Kind kind, String key, String channel, byte[] message) {
        BiConsumer<String, byte[]> handler = handlers.get(kind).get(key);
        if (handler == null) {
            return;
        }
        observers.forEach(io.hibiki.socketio.observer.ServerObserver::adapterReceived);
        try {
            handler.accept(channel, message);
        } catch (RuntimeException e) {
            log.error("Redis message on {} could not be handled", channel, e);
        }
    }

    /** Subscribes; the handler gets (channel, message). Kept across reconnections. */
    void subscribe(Kind kind, String name, BiConsumer<String, byte[]> handler) {
        handlers.get(kind).put(name, handler);
        request(kind, name);
    }

    /** Asks Redis for a wanted subscription, again after a pause if it refuses (for instance while away). */
    private CompletableFuture<Void> request(Kind kind, String name) {
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s == null || closed || !handlers.get(kind).containsKey(name)) {
            // connect() subscribes everything wanted once the connection exists
            return s == null && subscriber ? CompletableFuture.failedFuture(new IllegalStateException("not connected"))
                    : CompletableFuture.completedFuture(null);
        }
        RedisPubSubAsyncCommands<byte[], byte[]> cmd = s.async();
        CompletableFuture<Void> f;
        try {
            f = switch (kind) {
                case CHANNEL -> cmd.subscribe(bytes(name)).toCompletableFuture();
                case PATTERN -> cmd.psubscribe(bytes(name)).toCompletableFuture();
                case SHARD -> s instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster
                        ? slotOwner(cluster, name).thenCompose(node -> node.async().ssubscribe(bytes(name)))
                        : cmd.ssubscribe(bytes(name)).toCompletableFuture();
            };
        } catch (RuntimeException e) {
            retryRequest(kind, name, e);
            return CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((v, e) -> {
            if (e != null) {
                if (kind == Kind.SHARD && client instanceof RedisClusterClient cluster) {
                    // Most likely a slot that moved (MOVED): the retry should find it in a fresh slot table.
                    cluster.refreshPartitionsAsync();
                }
                retryRequest(kind, name, e);
            }
        });
    }

    /** The subscription connection to the cluster node that owns a shard channel's slot. */
    private static CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> slotOwner(
            StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster, String channel) {
        RedisClusterNode owner = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(bytes(channel)));
        if (owner == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no cluster node serves the slot of " + channel));
        }
        return cluster.getConnectionAsync(owner.getUri().getHost(), owner.getUri().getPort());
    }

    private void retryRequest(Kind kind, String name, Throwable e) {
        if (closed) {
            return;
        }
        log.debug("subscribing to {} failed ({}); retrying", name, e.getMessage());
        try {
            retry.schedule(() -> request(kind, name), RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closed meanwhile
        }
    }

    void unsubscribe(Kind kind, String name) {
        handlers.get(kind).remove(name);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s == null || !s.isOpen() || closed) {
            return;
        }
        try {
            RedisPubSubAsyncCommands<byte[], byte[]> cmd = s.async();
            CompletableFuture<Void> f = switch (kind) {
                case CHANNEL -> cmd.unsubscribe(bytes(name)).toCompletableFuture();
                case PATTERN -> cmd.punsubscribe(bytes(name)).toCompletableFuture();
                case SHARD -> s instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster
                        ? slotOwner(cluster, name).thenCompose(node -> node.async().sunsubscribe(bytes(name)))
                        : cmd.sunsubscribe(bytes(name)).toCompletableFuture();
            };
            f.whenComplete((v, e) -> {
                if (e != null) {
                    log.debug("unsubscribing from {} failed: {}", name, e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            log.debug("unsubscribing from {} failed: {}", name, e.getMessage());
        }
    }

    /** PUBLISH; a failure (Redis away) is logged, never thrown: local delivery already happened. */
    void publish(String channel, byte[] message) {
        send(channel, message, false);
    }

    /** SPUBLISH (sharded pub/sub, Redis 7+), with the same failure policy as {@link #publish}. */
    void spublish(String channel, byte[] message) {
        send(channel, message, true);
    }

    private void send(String channel, byte[] message, boolean sharded) {
        StatefulConnection<byte[], byte[]> p = pub;
        if (p == null) {
            observers.forEach(io.hibiki.socketio.observer.ServerObserver::adapterError);
            log.debug("not published to {}: Redis not connected", channel);
            return;
        }
        try {
            BaseRedisAsyncCommands<byte[], byte[]> cmd = commands(p);
            RedisFuture<Long> f = sharded ? cmd.spublish(bytes(channel), message)
                    : cmd.publish(bytes(channel), message);
            f.whenComplete((n, e) -> {
                if (e != null) {
                    observers.forEach(io.hibiki.socketio.observer.ServerObserver::adapterError);
                    failed("publish to " + channel + " failed", e);
                } else {
                    observers.forEach(io.hibiki.socketio.observer.ServerObserver::adapterPublished);
                    succeeded();
                }
            });
        } catch (RuntimeException e) {
            observers.forEach(io.hibiki.socketio.observer.ServerObserver::adapterError);
            failed("publish to " + channel + " failed", e);
        }
    }

    /** Subscribers of a channel (PUBSUB NUMSUB); 1 (this node alone) when Redis cannot be asked. */
    CompletableFuture<Long> numsub(String channel) {
        return count(channel, false);
    }

    /** Subscribers of a shard channel (PUBSUB SHARDNUMSUB); 1 when Redis cannot be asked. */
    CompletableFuture<Long> shardNumsub(String channel) {
        return count(channel, true);
    }

    private CompletableFuture<Long> count(String channel, boolean sharded) {
        StatefulConnection<byte[], byte[]> p = pub;
        if (p == null) {
            return CompletableFuture.completedFuture(1L);
        }
        try {
            CompletableFuture<Long> total;
            if (p instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
                // Each node counts only the subscribers connected to it: ask every primary and add up.
                List<CompletableFuture<Long>> parts = new ArrayList<>();
                for (RedisClusterNode node : cluster.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        parts.add(cluster.getConnectionAsync(node.getNodeId())
                                .thenCompose(c -> count(c.async(), channel, sharded)));
                    }
                }
                total = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                        .thenApply(v -> parts.stream().mapToLong(CompletableFuture::join).sum());
            } else {
                total = count(commands(p), channel, sharded);
            }
            return total.exceptionally(e -> {
                failed("counting subscribers of " + channel + " failed", e);
                return 1L;
            });
        } catch (RuntimeException e) {
            failed("counting subscribers of " + channel + " failed", e);
            return CompletableFuture.completedFuture(1L);
        }
    }

    private static CompletableFuture<Long> count(BaseRedisAsyncCommands<byte[], byte[]> cmd, String channel,
                                                 boolean sharded) {
        RedisFuture<Map<byte[], Long>> f = sharded ? cmd.pubsubShardNumsub(bytes(channel))
                : cmd.pubsubNumsub(bytes(channel));
        return f.toCompletableFuture().thenApply(m -> m.values().stream().mapToLong(Long::longValue).sum());
    }

    private static BaseRedisAsyncCommands<byte[], byte[]> commands(StatefulConnection<byte[], byte[]> p) {
        return p instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster ? cluster.async()
                : ((StatefulRedisConnection<byte[], byte[]>) p).async();
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        // Shutting the client down closes both connections; closing them first makes Lettuce warn twice.
        client.shutdownAsync(0, 2, TimeUnit.SECONDS)
                .whenComplete((v, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
