package io.hibiki.socketio;

/** Given to a socket's {@code onError} listeners for an inbound event dropped by {@code eventRateLimit}. */
public final class EventRateLimitedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The name of the dropped event; part of the serialized form. */
    private final String event;

    /**
     * Creates the exception. It carries no stack trace: it is raised once per refused event, possibly under a
     * flood, and says nothing about the server's code.
     *
     * @param event the name of the dropped event
     */
    public EventRateLimitedException(String event) {
        super("event \"" + event + "\" dropped: over the socket's event rate limit", null, false, false);
        this.event = event;
    }

    /**
     * The name of the dropped event.
     *
     * @return the event name as the client sent it
     */
    public String event() {
        return event;
    }
}
