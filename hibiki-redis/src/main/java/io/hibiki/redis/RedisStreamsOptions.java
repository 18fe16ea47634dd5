package io.hibiki.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of the Redis Streams adapter, named as in Node's {@code @socket.io/redis-streams-adapter} 0.3.
 *
 * @param uri              the Redis URI
 * @param streamName       the stream; default {@code socket.io}
 * @param channelPrefix    prefix of the pub/sub channels used for requests and acks; default {@code socket.io}
 * @param maxLen           approximate stream length kept (MAXLEN ~); default 10 000
 * @param readCount        entries per XREAD; default 100
 * @param block            how long one XREAD blocks; default 5 s
 * @param sessionKeyPrefix prefix of the keys holding dropped sessions; default {@code sio:session:}
 * @param requestsTimeout  how long cluster requests wait; default 5 s
 */
public record RedisStreamsOptions(String uri, String streamName, String channelPrefix, int maxLen, int readCount,
                                  Duration block, String sessionKeyPrefix, Duration requestsTimeout) {

    /**
     * Checks that the URI and the names are set.
     *
     * @param uri              the Redis URI
     * @param streamName       the stream
     * @param channelPrefix    prefix of the pub/sub channels used for requests and acks
     * @param maxLen           approximate stream length kept (MAXLEN ~)
     * @param readCount        entries per XREAD
     * @param block            how long one XREAD blocks
     * @param sessionKeyPrefix prefix of the keys holding dropped sessions
     * @param requestsTimeout  how long cluster requests wait
     * @throws NullPointerException if {@code uri}, {@code streamName}, {@code channelPrefix} or
     *                              {@code sessionKeyPrefix} is null
     */
    public RedisStreamsOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        Objects.requireNonNull(sessionKeyPrefix, "sessionKeyPrefix");
    }

    /**
     * Node's defaults for a Redis at {@code uri}.
     *
     * @param uri the URI of one Redis server ({@code redis://host:port} or {@code rediss://…}); a Redis Cluster
     *            is not supported by this adapter
     * @return options with stream and channel prefix {@code socket.io}, MAXLEN ~10 000, 100 entries per XREAD
     *         blocking 5 s, session keys under {@code sio:session:} and a 5 s request timeout
     */
    public static RedisStreamsOptions of(String uri) {
        return new RedisStreamsOptions(uri, "socket.io", "socket.io", 10_000, 100, Duration.ofSeconds(5),
                "sio:session:", Duration.ofSeconds(5));
    }

    /**
     * The same options with every name prefixed for isolation (stream, channels, session keys).
     *
     * @param streamName       the stream to use instead
     * @param channelPrefix    the prefix of the pub/sub channels to use instead
     * @param sessionKeyPrefix the prefix of the session keys to use instead
     * @return a copy with these three names; the other options are kept
     */
    public RedisStreamsOptions withNames(String streamName, String channelPrefix, String sessionKeyPrefix) {
        return new RedisStreamsOptions(uri, streamName, channelPrefix, maxLen, readCount, block, sessionKeyPrefix,
                requestsTimeout);
    }
}
