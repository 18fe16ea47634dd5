package io.hibiki.socketio;

/** Given to a socket's {@code onError} listeners for an inbound event dropped by {@code eventRateLimit}. */
public final class EventRateLimitedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String event;

    public EventRateLimitedException(String event) {
        super("event \"" + event + "\" dropped: over the socket's event rate limit", null, false, false);
        this.event = event;
    }

    /** The name of the dropped event. */
    public String event() {
        return event;
    }
}
