package io.hibiki.engine.codec;

/** Engine.IO v4 packet types with their one-character wire codes. */
public enum EnginePacketType {
    /** Sent by the server as the first packet of a session, with the handshake data as JSON. */
    OPEN('0'),
    /** Ends the session; either side may send it. */
    CLOSE('1'),
    /** Heartbeat sent by the server, and by the client as the {@code probe} while upgrading to WebSocket. */
    PING('2'),
    /** Answer to a {@link #PING}, carrying the same data. */
    PONG('3'),
    /** Application data, text or binary; the Socket.IO layer rides on these. */
    MESSAGE('4'),
    /** Sent by the client on the new transport to finish an upgrade. */
    UPGRADE('5'),
    /** Does nothing; used to release a pending poll while a transport upgrade completes. */
    NOOP('6');

    private static final EnginePacketType[] BY_DIGIT = values();

    private final char code;

    EnginePacketType(char code) {
        this.code = code;
    }

    /**
     * The character that starts a text packet of this type on the wire.
     *
     * @return the wire code, {@code '0'} to {@code '6'}
     */
    public char code() {
        return code;
    }

    /**
     * The type for a wire character, or {@code null} when the character names no type.
     *
     * @param c the first character of a text packet
     * @return the packet type, or {@code null} for any character other than {@code '0'} to {@code '6'}
     */
    public static EnginePacketType fromCode(char c) {
        int i = c - '0';
        return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
    }
}
