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
 */
public record RedisAdapterOptions(String uri, String key, Duration requestsTimeout,
                                  boolean publishOnSpecificResponseChannel) {

    public RedisAdapterOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    }

    /** Node's defaults for a Redis at {@code uri}. */
    public static RedisAdapterOptions of(String uri) {
        return new RedisAdapterOptions(uri, "socket.io", Duration.ofSeconds(5), false);
    }

    public RedisAdapterOptions withKey(String key) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, publishOnSpecificResponseChannel);
    }

    public RedisAdapterOptions withRequestsTimeout(Duration timeout) {
        return new RedisAdapterOptions(uri, key, timeout, publishOnSpecificResponseChannel);
    }
}
