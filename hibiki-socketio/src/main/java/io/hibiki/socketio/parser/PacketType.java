package io.hibiki.socketio.parser;

/** Socket.IO v5 packet types with their wire codes (the first character of a packet). */
public enum PacketType {
    CONNECT(0),
    DISCONNECT(1),
    EVENT(2),
    ACK(3),
    CONNECT_ERROR(4),
    BINARY_EVENT(5),
    BINARY_ACK(6);

    // Codes are the ordinals; the array lookup avoids values() cloning on every decode.
    private static final PacketType[] BY_CODE = values();

    private final int code;

    PacketType(int code) {
        this.code = code;
    }

    /** The number written on the wire for this type. */
    public int code() {
        return code;
    }

    /** Whether packets of this type announce binary attachments ({@link #BINARY_EVENT}, {@link #BINARY_ACK}). */
    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /**
     * The type for a wire code.
     *
     * @throws PacketParseException if no type has this code
     */
    public static PacketType fromCode(int code) throws PacketParseException {
        if (code < 0 || code >= BY_CODE.length) {
            throw new PacketParseException("unknown packet type " + code);
        }
        return BY_CODE[code];
    }
}
