package io.hibiki.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream side of the Streams adapter, shared by a server's namespaces: one reader thread that blocks on
 * {@code XREAD} and hands each entry to the namespace named in its {@code nsp} field, and a connection for
 * stream and key commands. Pub/sub (requests and acks) goes through a {@link RedisConnection}.
 */
final class StreamsConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsConnection.class);

    private final RedisClient client;
    private final RedisStreamsOptions options;
    private final RedisConnection pubsub;
    private final Map<String, BiConsumer<Map<String, String>, String>> byNamespace = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile boolean closed;
    private final String address;

    StreamsConnection(RedisStreamsOptions options) {
        this.options = options;
        RedisURI uri = RedisURI.create(options.uri());
        // Host and port only: the URI may carry a password, which has no place in a log.
        this.address = uri.getHost() + ":" + uri.getPort();
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        this.pubsub = new RedisConnection(options.uri(), "hibiki-streams-" + Long.toHexString(System.nanoTime()), true);
        this.reader = new Thread(this::readLoop, "hibiki-redis-streams-reader");
        reader.setDaemon(true);
        reader.start();
    }

    RedisConnection pubsub() {
        return pubsub;
    }

    /** The command connection, or null while Redis is unreachable. */
    StatefulRedisConnection<String, String> commands() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null && !closed) {
            try {
                synchronized (this) {
                    if (commands == null) {
                        commands = client.connect(StringCodec.UTF8);
                    }
                    c = commands;
                }
            } catch (RuntimeException e) {
                log.warn("Redis at {} unreachable: {}", address, e.getMessage());
            }
        }
        return c;
    }

    void register(String namespace, BiConsumer<Map<String, String>, String> onEntry) {
        byNamespace.put(namespace, onEntry);
    }

    void unregister(String namespace) {
        byNamespace.remove(namespace);
    }

    boolean idle() {
        return byNamespace.isEmpty();
    }

    private void readLoop() {
        String offset = "$";
        StatefulRedisConnection<String, String> conn = null;
        while (!closed) {
            try {
                if (conn == null) {
                    conn = client.connect(StringCodec.UTF8);
                    conn.setTimeout(options.block().plusSeconds(5));
                }
                List<StreamMessage<String, String>> entries = conn.sync().xread(
                        XReadArgs.Builder.count(options.readCount()).block(options.block()),
                        XReadArgs.StreamOffset.from(options.streamName(), offset));
                if (entries == null) {
                    continue;
                }
                for (StreamMessage<String, String> e : entries) {
                    offset = e.getId();
                    Map<String, String> body = e.getBody();
                    BiConsumer<Map<String, String>, String> handler = body.get("nsp") == null ? null
                            : byNamespace.get(body.get("nsp"));
                    if (handler != null) {
                        try {
                            handler.accept(body, e.getId());
                        } catch (RuntimeException ex) {
                            log.error("stream entry {} could not be handled", e.getId(), ex);
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                log.warn("reading stream {} failed ({}); retrying", options.streamName(), e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (conn != null) {
            conn.closeAsync();
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        pubsub.close();
        client.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
