package io.hibiki.engine;

/** Why an Engine.IO session closed, with the reason text Node's engine.io reports. */
public enum CloseReason {
    /** The client closed the connection or sent a close packet. */
    TRANSPORT_CLOSE("transport close"),
    /** The transport failed (network error, protocol violation such as overlapping polls, oversize body). */
    TRANSPORT_ERROR("transport error"),
    /** The client did not answer a ping within {@code pingTimeout}. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent something that is not a valid packet. */
    PARSE_ERROR("parse error"),
    /** The server closed the session. */
    FORCED_CLOSE("forced close"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down");

    private final String text;

    CloseReason(String text) {
        this.text = text;
    }

    /**
     * The reason as Node's engine.io spells it.
     *
     * @return the reason text, for example {@code "ping timeout"}
     */
    public String text() {
        return text;
    }
}
