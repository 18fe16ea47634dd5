package io.hibiki.socketio.adapter.cluster;

import java.util.List;

/** Not every node answered a cluster request in time; holds the answers that came. Adapters may refine it. */
public class ClusterRequestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> partial;

    /**
     * A timeout with the answers received before it.
     *
     * @param message the detail message, saying how many nodes did not answer
     * @param partial the answers received in time, possibly empty
     */
    public ClusterRequestTimeoutException(String message, List<Object> partial) {
        super(message);
        this.partial = partial;
    }

    /**
     * The answers that arrived before the timeout, in arrival order. Not kept when the exception is serialized.
     *
     * @return the partial answers; null after deserialization
     */
    public List<Object> partialResponses() {
        return partial;
    }
}
