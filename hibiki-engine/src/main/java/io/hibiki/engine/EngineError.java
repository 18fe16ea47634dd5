package io.hibiki.engine;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The closed table of Engine.IO HTTP errors, answered as {@code {"code":N,"message":"…"}}. */
public enum EngineError {
    /** The {@code transport} query parameter is missing, unknown, or not enabled on this server; 400. */
    UNKNOWN_TRANSPORT(0, "Transport unknown", HttpResponseStatus.BAD_REQUEST),
    /** The {@code sid} names no live session (never issued, or already closed); 400. */
    UNKNOWN_SID(1, "Session ID unknown", HttpResponseStatus.BAD_REQUEST),
    /** A handshake (a request without {@code sid}) used a method other than {@code GET}; 400. */
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", HttpResponseStatus.BAD_REQUEST),
    /** Any other malformed or out-of-place request, for example overlapping polls or a bad body; 400. */
    BAD_REQUEST(3, "Bad request", HttpResponseStatus.BAD_REQUEST),
    /**
     * Refused by policy: a disallowed origin, the application's {@code allowRequest} check, or a per-address
     * connection limit; 403.
     */
    FORBIDDEN(4, "Forbidden", HttpResponseStatus.FORBIDDEN),
    /** The {@code EIO} query parameter is missing or not {@code 4}; 400. */
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", HttpResponseStatus.BAD_REQUEST);

    private final int code;
    private final String message;
    private final HttpResponseStatus status;

    EngineError(int code, String message, HttpResponseStatus status) {
        this.code = code;
        this.message = message;
        this.status = status;
    }

    /**
     * The number clients see in the {@code code} field of the error body.
     *
     * @return the Engine.IO error code, 0 to 5
     */
    public int code() {
        return code;
    }

    /**
     * The standard text for the {@code message} field of the error body.
     *
     * @return the message as Node's engine.io words it, for example {@code "Session ID unknown"}
     */
    public String message() {
        return message;
    }

    /**
     * The HTTP status the error is answered with.
     *
     * @return 403 for {@link #FORBIDDEN}, 400 for every other error
     */
    public HttpResponseStatus status() {
        return status;
    }

    /**
     * The JSON body sent with the error.
     *
     * @return {@code {"code":N,"message":"…"}} with this error's standard message
     */
    public String json() {
        return json(message);
    }

    /**
     * The JSON body with another message (an application's refusal), escaped by Jackson as JSON needs.
     *
     * @param text the message to put in the body instead of the standard one; not {@code null}
     * @return {@code {"code":N,"message":"…"}} with {@code text} as the message
     */
    public String json(String text) {
        return "{\"code\":" + code + ",\"message\":\""
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text))
                + "\"}";
    }
}
