package io.hibiki.engine;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The closed table of Engine.IO HTTP errors, answered as {@code {"code":N,"message":"…"}}. */
public enum EngineError {
    UNKNOWN_TRANSPORT(0, "Transport unknown", HttpResponseStatus.BAD_REQUEST),
    UNKNOWN_SID(1, "Session ID unknown", HttpResponseStatus.BAD_REQUEST),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", HttpResponseStatus.BAD_REQUEST),
    BAD_REQUEST(3, "Bad request", HttpResponseStatus.BAD_REQUEST),
    FORBIDDEN(4, "Forbidden", HttpResponseStatus.FORBIDDEN),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", HttpResponseStatus.BAD_REQUEST);

    private final int code;
    private final String message;
    private final HttpResponseStatus status;

    EngineError(int code, String message, HttpResponseStatus status) {
        this.code = code;
        this.message = message;
        this.status = status;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The JSON body sent with the error. */
    public String json() {
        return json(message);
    }

    /** The JSON body with another message (an application's refusal), escaped by Jackson as JSON needs. */
    public String json(String text) {
        return "{\"code\":" + code + ",\"message\":\""
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text))
                + "\"}";
    }
}
