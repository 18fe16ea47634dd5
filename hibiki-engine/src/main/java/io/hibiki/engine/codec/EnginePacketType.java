package io.hibiki.engine.codec;

/** Engine.IO v4 packet types with their one-character wire codes. */
public enum EnginePacketType {
    OPEN('0'),
    CLOSE('1'),
    PING('2'),
    PONG('3'),
    MESSAGE('4'),
    UPGRADE('5'),
    NOOP('6');

    private static final EnginePacketType[] BY_DIGIT = values();

    private final char code;

    EnginePacketType(char code) {
        this.code = code;
    }

    /** The character that starts a text packet of this type on the wire. */
    public char code() {
        return code;
    }

    /** The type for a wire character, or {@code null} when the character names no type. */
    public static EnginePacketType fromCode(char c) {
        int i = c - '0';
        return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
    }
}
