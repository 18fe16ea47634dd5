package io.hibiki.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of the classic Redis adapter, named as in Node's {@code @socket.io/redis-adapter}.
 *
 * @param uri                              the Redis URI, e.g. {@code redis://127.0.0.1:6379}
 * @param key                              channel prefix; default {@code socket.io} (must match the Node peers)
 * @param requestsTimeout                  how long cluster requests (fetchSockets, serverSideEmit acks) wait; default 5 s
 * @param publishOnSpecificResponseChannel answer each requester on its own response channel; default false
 * @param clientName                       the name of this server's Redis connections in {@code CLIENT LIST};
 *                                         default (null) {@code hibiki-<random id>}, one per server
 */
public record RedisAdapterOptions(String uri, String key, Duration requestsTimeout,
                                  boolean publishOnSpecificResponseChannel, String clientName) {

    /**
     * Checks that the required options are set.
     *
     * @param uri                              the Redis URI, e.g. {@code redis://127.0.0.1:6379}
     * @param key                              channel prefix (must match the Node peers)
     * @param requestsTimeout                  how long cluster requests wait
     * @param publishOnSpecificResponseChannel answer each requester on its own response channel
     * @param clientName                       the name of this server's Redis connections in {@code CLIENT LIST},
     *                                         or null for {@code hibiki-<random id>}
     * @throws NullPointerException if {@code uri}, {@code key} or {@code requestsTimeout} is null
     */
    public RedisAdapterOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    }

    /**
     * Node's defaults for a Redis at {@code uri}.
     *
     * @param uri the Redis URI: {@code redis://host:port}, {@code rediss://…} for TLS, or
     *            {@code redis-cluster://host1:port1,host2:port2} for the seed nodes of a Redis Cluster
     * @return options with key {@code socket.io}, a 5 s request timeout, the common response channel and a
     *         generated client name
     */
    public static RedisAdapterOptions of(String uri) {
        return new RedisAdapterOptions(uri, "socket.io", Duration.ofSeconds(5), false, null);
    }

    /**
     * Sets the channel prefix. Every server of the cluster, Java or Node, must use the same one.
     *
     * @param key the channel prefix; default {@code socket.io}
     * @return a copy with this key
     */
    public RedisAdapterOptions withKey(String key) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, publishOnSpecificResponseChannel, clientName);
    }

    /**
     * Sets how long cluster requests (fetchSockets, allRooms, serverSideEmit acks) wait for the other servers
     * before they fail with {@link RedisRequestTimeoutException}. A broadcast with acks uses its own timeout
     * flag when it has one.
     *
     * @param timeout the wait; default 5 s
     * @return a copy with this timeout
     */
    public RedisAdapterOptions withRequestsTimeout(Duration timeout) {
        return new RedisAdapterOptions(uri, key, timeout, publishOnSpecificResponseChannel, clientName);
    }

    /**
     * Chooses where this server answers requests: on the requester's own response channel, so that other servers
     * do not receive answers meant for someone else, or on the response channel all servers share.
     *
     * @param on true to answer on each requester's own channel; default false
     * @return a copy with this setting
     */
    public RedisAdapterOptions withPublishOnSpecificResponseChannel(boolean on) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, on, clientName);
    }

    /**
     * Sets the name this server's Redis connections show in {@code CLIENT LIST}.
     *
     * @param name the client name, or null for {@code hibiki-<random id>}
     * @return a copy with this client name
     */
    public RedisAdapterOptions withClientName(String name) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, publishOnSpecificResponseChannel, name);
    }

    /** The configured client name, or a fresh {@code hibiki-<random id>}. */
    String clientNameOrDefault() {
        return clientName != null ? clientName : "hibiki-" + ClassicWire.randomId();
    }
}
