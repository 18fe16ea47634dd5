package io.hibiki.socketio.parser;

/**
 * Thrown by {@link PacketDecoder} for input that is not a valid Socket.IO v5 packet.
 *
 * <p>The exception is checked because every caller has to react the same way: close the whole
 * connection with the disconnect reason {@code "parse error"}. It carries no stack trace, since a
 * misbehaving client can make the server throw it at will and the trace would only point at the
 * decoder.
 */
public final class PacketParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception describing why the input was rejected.
     *
     * @param message why the input is not a valid packet
     */
    public PacketParseException(String message) {
        super(message, null, false, false);
    }

    /**
     * Creates an exception that wraps the lower-level failure (typically a JSON syntax error).
     *
     * @param message why the input is not a valid packet
     * @param cause   the failure that revealed it
     */
    public PacketParseException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
