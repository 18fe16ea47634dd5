package io.hibiki.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
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
 * The Redis connections one server shares among its namespaces' adapters: one for publishing and commands, one
 * for subscriptions. If Redis is down at start, or goes away later, the node keeps serving its own clients:
 * publishes fail fast (logged), and the connections are retried until Redis is back, with every subscription
 * restored.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final RedisClient client;
    private final Map<String, BiConsumer<String, byte[]>> channelHandlers = new ConcurrentHashMap<>();
    private final Map<String, BiConsumer<String, byte[]>> patternHandlers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hibiki-redis-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile StatefulRedisConnection<byte[], byte[]> pub;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private volatile boolean closed;

    RedisConnection(String uri) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(java.time.Duration.ofSeconds(5));
        this.client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away, fail publishes at once instead of queueing them without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            if (pub == null) {
                pub = client.connect(ByteArrayCodec.INSTANCE);
            }
            if (sub == null) {
                StatefulRedisPubSubConnection<byte[], byte[]> s = client.connectPubSub(ByteArrayCodec.INSTANCE);
                s.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] channel, byte[] message) {
                        dispatch(channelHandlers.get(str(channel)), str(channel), message);
                    }

                    @Override
                    public void message(byte[] pattern, byte[] channel, byte[] message) {
                        dispatch(patternHandlers.get(str(pattern)), str(channel), message);
                    }
                });
                sub = s;
                for (String c : channelHandlers.keySet()) {
                    s.async().subscribe(bytes(c));
                }
                for (String p : patternHandlers.keySet()) {
                    s.async().psubscribe(bytes(p));
                }
            }
            log.info("Redis adapter connected to {}", redacted());
        } catch (RuntimeException e) {
            log.warn("Redis at {} unreachable ({}); serving local clients only, retrying", redacted(), e.getMessage());
            retry.schedule(this::connect, 2, TimeUnit.SECONDS);
        }
    }

    private String redacted() {
        return client.toString();
    }

    private static void dispatch(BiConsumer<String, byte[]> handler, String channel, byte[] message) {
        if (handler == null) {
            return;
        }
        try {
            handler.accept(channel, message);
        } catch (RuntimeException e) {
            log.error("Redis message on {} could not be handled", channel, e);
        }
    }

    void subscribe(String channel, BiConsumer<String, byte[]> handler) {
        channelHandlers.put(channel, handler);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().subscribe(bytes(channel));
        }
    }

    void psubscribe(String pattern, BiConsumer<String, byte[]> handler) {
        patternHandlers.put(pattern, handler);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null) {
            s.async().psubscribe(bytes(pattern));
        }
    }

    void unsubscribe(String channel) {
        channelHandlers.remove(channel);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null && s.isOpen()) {
            s.async().unsubscribe(bytes(channel));
        }
    }

    void punsubscribe(String pattern) {
        patternHandlers.remove(pattern);
        StatefulRedisPubSubConnection<byte[], byte[]> s = sub;
        if (s != null && s.isOpen()) {
            s.async().punsubscribe(bytes(pattern));
        }
    }

    /** Publishes; a failure (Redis away) is logged, never thrown: local delivery already happened. */
    void publish(String channel, byte[] message) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null) {
            log.debug("not published to {}: Redis not connected", channel);
            return;
        }
        try {
            p.async().publish(bytes(channel), message).whenComplete((n, e) -> {
                if (e != null) {
                    log.warn("publish to {} failed: {}", channel, e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            log.warn("publish to {} failed: {}", channel, e.getMessage());
        }
    }

    /** Subscribers of a channel (PUBSUB NUMSUB); 1 (this node alone) when Redis cannot be asked. */
    CompletableFuture<Long> numsub(String channel) {
        StatefulRedisConnection<byte[], byte[]> p = pub;
        if (p == null) {
            return CompletableFuture.completedFuture(1L);
        }
        try {
            return p.async().pubsubNumsub(bytes(channel)).toCompletableFuture()
                    .thenApply(m -> m.values().stream().mapToLong(Long::longValue).sum())
                    .exceptionally(e -> {
                        log.warn("PUBSUB NUMSUB failed: {}", e.getMessage());
                        return 1L;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(1L);
        }
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        // Shutting the client down closes both connections; closing them first makes Lettuce warn twice.
        client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
