package io.hibiki.socketio;

import java.util.List;

/** An acknowledgement did not come within the emit's timeout; holds whatever acks did arrive. */
public final class AckTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> partialResponses;

    /**
     * Creates the exception with a copy of the acks that did arrive.
     *
     * @param partialResponses the acks received before the timeout; copied, so later changes do not show
     */
    public AckTimeoutException(List<Object> partialResponses) {
        super("operation has timed out");
        this.partialResponses = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(partialResponses));
    }

    /**
     * Acks received before the timeout (for broadcasts: one per responding client).
     *
     * @return an unmodifiable list, empty when nothing arrived (always empty for an emit to one socket)
     */
    public List<Object> partialResponses() {
        return partialResponses;
    }
}
