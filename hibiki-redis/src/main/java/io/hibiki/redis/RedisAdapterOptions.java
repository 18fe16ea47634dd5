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

    public RedisAdapterOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    }

    /** Node's defaults for a Redis at {@code uri}. */
    public static RedisAdapterOptions of(String uri) {
        return new RedisAdapterOptions(uri, "socket.io", Duration.ofSeconds(5), false, null);
    }

    public RedisAdapterOptions withKey(String key) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, publishOnSpecificResponseChannel, clientName);
    }

    public RedisAdapterOptions withRequestsTimeout(Duration timeout) {
        return new RedisAdapterOptions(uri, key, timeout, publishOnSpecificResponseChannel, clientName);
    }

    public RedisAdapterOptions withPublishOnSpecificResponseChannel(boolean on) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, on, clientName);
    }

    public RedisAdapterOptions withClientName(String name) {
        return new RedisAdapterOptions(uri, key, requestsTimeout, publishOnSpecificResponseChannel, name);
    }

    /** The configured client name, or a fresh {@code hibiki-<random id>}. */
    String clientNameOrDefault() {
        return clientName != null ? clientName : "hibiki-" + ClassicWire.randomId();
    }
}
