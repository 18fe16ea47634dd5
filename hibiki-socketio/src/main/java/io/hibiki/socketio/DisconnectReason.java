package io.hibiki.socketio;

import io.hibiki.engine.CloseReason;

/** Why a socket left its namespace, with the text Node's Socket.IO reports. */
public enum DisconnectReason {
    /** The server called {@code socket.disconnect()}. */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect", false),
    /** The client called {@code socket.disconnect()}. */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect", false),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down", true),
    /** The client stopped answering pings. */
    PING_TIMEOUT("ping timeout", true),
    /** The connection closed (the user left, or the network dropped). */
    TRANSPORT_CLOSE("transport close", true),
    /** The connection failed. */
    TRANSPORT_ERROR("transport error", true),
    /** The client sent an invalid packet. */
    PARSE_ERROR("parse error", false),
    /** The connection was closed by the server. */
    FORCED_CLOSE("forced close", true),
    /** The server closed the connection because the client did not join a namespace in time. */
    FORCED_SERVER_CLOSE("forced server close", true);

    private final String text;
    private final boolean recoverable;

    DisconnectReason(String text, boolean recoverable) {
        this.text = text;
        this.recoverable = recoverable;
    }

    /**
     * The reason as Node's Socket.IO words it, e.g. {@code "transport close"}.
     *
     * @return the reason string a Node server would report, useful for logs shared with Node servers
     */
    public String text() {
        return text;
    }

    /**
     * Whether connection state recovery keeps the session for a later reconnect (as Node decides).
     *
     * @return {@code true} when the socket's id, rooms and data are kept for recovery; {@code false} when the
     *         socket left on purpose or sent garbage
     */
    public boolean recoverable() {
        return recoverable;
    }

    static DisconnectReason of(CloseReason engineReason) {
        return switch (engineReason) {
            case TRANSPORT_CLOSE -> TRANSPORT_CLOSE;
            case TRANSPORT_ERROR -> TRANSPORT_ERROR;
            case PING_TIMEOUT -> PING_TIMEOUT;
            case PARSE_ERROR -> PARSE_ERROR;
            case FORCED_CLOSE -> FORCED_CLOSE;
            case SERVER_SHUTTING_DOWN -> SERVER_SHUTTING_DOWN;
        };
    }
}
