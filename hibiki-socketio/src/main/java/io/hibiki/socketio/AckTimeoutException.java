package io.hibiki.socketio;

import java.util.List;

/** An acknowledgement did not come within the emit's timeout; holds whatever acks did arrive. */
public final class AckTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> partialResponses;

    public AckTimeoutException(List<Object> partialResponses) {
        super("operation has timed out");
        this.partialResponses = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(partialResponses));
    }

    /** Acks received before the timeout (for broadcasts: one per responding client). */
    public List<Object> partialResponses() {
        return partialResponses;
    }
}
