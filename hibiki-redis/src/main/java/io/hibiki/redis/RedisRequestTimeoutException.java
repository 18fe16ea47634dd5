package io.hibiki.redis;

import java.util.List;

/** Not every node answered a cluster request in time; holds the answers that came. */
public final class RedisRequestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> partial;

    public RedisRequestTimeoutException(String message, List<Object> partial) {
        super(message);
        this.partial = partial;
    }

    public List<Object> partialResponses() {
        return partial;
    }
}
