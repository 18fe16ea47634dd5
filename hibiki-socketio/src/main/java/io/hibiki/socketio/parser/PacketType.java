package io.hibiki.socketio.parser;

/** Socket.IO v5 packet types with their wire codes (the first character of a packet). */
public enum PacketType {
    /** Joins a namespace (from the client) or accepts the join (from the server, with the socket id). */
    CONNECT(0),
    /** Leaves a namespace, from either side. */
    DISCONNECT(1),
    /** An event: its name and arguments, with an acknowledgement id when the sender wants an answer. */
    EVENT(2),
    /** The answer to an event that carried an acknowledgement id. */
    ACK(3),
    /** The server's refusal of a namespace join. */
    CONNECT_ERROR(4),
    /** An event followed by binary attachments, each replaced by a placeholder in its JSON. */
    BINARY_EVENT(5),
    /** An acknowledgement followed by binary attachments, each replaced by a placeholder in its JSON. */
    BINARY_ACK(6);

    // Codes are the ordinals; the array lookup avoids values() cloning on every decode.
    private static final PacketType[] BY_CODE = values();

    private final int code;

    PacketType(int code) {
        this.code = code;
    }

    /**
     * The number written on the wire for this type.
     *
     * @return the code, 0 to 6
     */
    public int code() {
        return code;
    }

    /**
     * Whether packets of this type announce binary attachments ({@link #BINARY_EVENT}, {@link #BINARY_ACK}).
     *
     * @return {@code true} for the two binary types
     */
    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /**
     * The type for a wire code.
     *
     * @param code the code read from the wire
     * @return the type with that code
     * @throws PacketParseException if no type has this code
     */
    public static PacketType fromCode(int code) throws PacketParseException {
        if (code < 0 || code >= BY_CODE.length) {
            throw new PacketParseException("unknown packet type " + code);
        }
        return BY_CODE[code];
    }
}
