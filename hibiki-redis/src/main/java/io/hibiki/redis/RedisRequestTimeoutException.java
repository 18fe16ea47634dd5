package io.hibiki.redis;

import java.util.List;

/** Not every node answered a cluster request in time; holds the answers that came. */
public final class RedisRequestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> partial;

    /**
     * A timeout with the answers received before it.
     *
     * @param message the detail message: which request timed out, for some requests with the number of answers
     * @param partial the answers received in time, possibly empty
     */
    public RedisRequestTimeoutException(String message, List<Object> partial) {
        super(message);
        this.partial = partial;
    }

    /**
     * The answers that arrived before the timeout, one per node that answered, in arrival order. Not kept when
     * the exception is serialized.
     *
     * @return the partial answers; null after deserialization
     */
    public List<Object> partialResponses() {
        return partial;
    }
}
