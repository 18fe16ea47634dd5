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

    public RedisStreamsOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        Objects.requireNonNull(sessionKeyPrefix, "sessionKeyPrefix");
    }

    /** Node's defaults for a Redis at {@code uri}. */
    public static RedisStreamsOptions of(String uri) {
        return new RedisStreamsOptions(uri, "socket.io", "socket.io", 10_000, 100, Duration.ofSeconds(5),
                "sio:session:", Duration.ofSeconds(5));
    }

    /** The same options with every name prefixed for isolation (stream, channels, session keys). */
    public RedisStreamsOptions withNames(String streamName, String channelPrefix, String sessionKeyPrefix) {
        return new RedisStreamsOptions(uri, streamName, channelPrefix, maxLen, readCount, block, sessionKeyPrefix,
                requestsTimeout);
    }
}
