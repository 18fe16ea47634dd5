package io.hibiki.redis;

import io.hibiki.socketio.adapter.cluster.ClusterRequestTimeoutException;
import java.util.List;

/** Not every node answered a request through Redis in time; holds the answers that came. */
public final class RedisRequestTimeoutException extends ClusterRequestTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * A timeout with the answers received before it.
     *
     * @param message the detail message: which request timed out, for some requests with the number of answers
     * @param partial the answers received in time, possibly empty
     */
    public RedisRequestTimeoutException(String message, List<Object> partial) {
        super(message, partial);
    }
}
