package io.hibiki.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of the sharded Redis adapter, named as in Node's {@code createShardedAdapter}.
 *
 * @param uri              the Redis URI (7.0 or later: sharded pub/sub), e.g. {@code redis://127.0.0.1:6379}
 * @param channelPrefix    channel prefix; default {@code socket.io} (must match the Node peers)
 * @param subscriptionMode where single-room broadcasts are published; default {@link SubscriptionMode#DYNAMIC}
 * @param requestsTimeout  how long fetchSockets (unless the operator has a timeout) and serverSideEmit acks wait;
 *                         default 5 s, as Node's
 * @param clientName       the name of this server's Redis connections in {@code CLIENT LIST}; default (null)
 *                         {@code hibiki-<random id>}
 */
public record ShardedRedisAdapterOptions(String uri, String channelPrefix, SubscriptionMode subscriptionMode,
                                         Duration requestsTimeout, String clientName) {

    /**
     * Node's subscription modes. Whatever the mode, this adapter subscribes to the channel of every room it has
     * members of, so it receives what publishers in any mode send; the mode decides how it publishes.
     */
    public enum SubscriptionMode {
        /** Everything goes through the namespace's main channel. */
        STATIC,
        /** A broadcast to exactly one room that is not a socket id goes to that room's channel. */
        DYNAMIC,
        /** A broadcast to exactly one room, socket ids included, goes to that room's channel. */
        DYNAMIC_PRIVATE
    }

    /**
     * Checks that the required options are set.
     *
     * @param uri              the Redis URI (7.0 or later)
     * @param channelPrefix    channel prefix (must match the Node peers)
     * @param subscriptionMode where single-room broadcasts are published
     * @param requestsTimeout  how long fetchSockets and serverSideEmit acks wait
     * @param clientName       the name of this server's Redis connections in {@code CLIENT LIST}, or null for
     *                         {@code hibiki-<random id>}
     * @throws NullPointerException if {@code uri}, {@code channelPrefix}, {@code subscriptionMode} or
     *                              {@code requestsTimeout} is null
     */
    public ShardedRedisAdapterOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        Objects.requireNonNull(subscriptionMode, "subscriptionMode");
        Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    }

    /**
     * Node's defaults for a Redis at {@code uri}.
     *
     * @param uri the Redis URI: {@code redis://host:port}, {@code rediss://…} for TLS, or
     *            {@code redis-cluster://host1:port1,host2:port2} for the seed nodes of a Redis Cluster
     * @return options with channel prefix {@code socket.io}, {@link SubscriptionMode#DYNAMIC}, a 5 s request
     *         timeout and a generated client name
     */
    public static ShardedRedisAdapterOptions of(String uri) {
        return new ShardedRedisAdapterOptions(uri, "socket.io", SubscriptionMode.DYNAMIC, Duration.ofSeconds(5), null);
    }

    /**
     * Sets the channel prefix. Every server of the cluster, Java or Node, must use the same one.
     *
     * @param prefix the channel prefix; default {@code socket.io}
     * @return a copy with this prefix
     */
    public ShardedRedisAdapterOptions withChannelPrefix(String prefix) {
        return new ShardedRedisAdapterOptions(uri, prefix, subscriptionMode, requestsTimeout, clientName);
    }

    /**
     * Sets where this server publishes single-room broadcasts. It receives what peers publish in any mode.
     *
     * @param mode the subscription mode; default {@link SubscriptionMode#DYNAMIC}
     * @return a copy with this mode
     */
    public ShardedRedisAdapterOptions withSubscriptionMode(SubscriptionMode mode) {
        return new ShardedRedisAdapterOptions(uri, channelPrefix, mode, requestsTimeout, clientName);
    }

    /**
     * Sets how long fetchSockets (unless the operator has its own timeout) and serverSideEmit acks wait for the
     * other servers.
     *
     * @param timeout the wait; default 5 s
     * @return a copy with this timeout
     */
    public ShardedRedisAdapterOptions withRequestsTimeout(Duration timeout) {
        return new ShardedRedisAdapterOptions(uri, channelPrefix, subscriptionMode, timeout, clientName);
    }

    /**
     * Sets the name this server's Redis connections show in {@code CLIENT LIST}.
     *
     * @param name the client name, or null for {@code hibiki-<random id>}
     * @return a copy with this client name
     */
    public ShardedRedisAdapterOptions withClientName(String name) {
        return new ShardedRedisAdapterOptions(uri, channelPrefix, subscriptionMode, requestsTimeout, name);
    }

    String clientNameOrDefault() {
        return clientName != null ? clientName : "hibiki-" + ClassicWire.randomId();
    }
}
