package io.hibiki.engine.codec;

import java.util.Objects;

/**
 * One decoded inbound Engine.IO packet. A message carries either text or binary data; other types carry
 * optional text (the {@code probe} of a ping during upgrade).
 *
 * @param type   the packet type; never {@code null}
 * @param text   the data after the type character, empty when there was none; {@code null} for a binary message
 * @param binary the bytes of a binary message; {@code null} for every text packet
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary) {

    /**
     * Checks that the packet has a type and does not carry both text and binary data.
     *
     * @param type   the packet type; never {@code null}
     * @param text   the text data, or {@code null}
     * @param binary the binary data, or {@code null}
     * @throws NullPointerException     if {@code type} is {@code null}
     * @throws IllegalArgumentException if both {@code text} and {@code binary} are given
     */
    public EnginePacket {
        Objects.requireNonNull(type, "type");
        if (text != null && binary != null) {
            throw new IllegalArgumentException("a packet carries text or binary, not both");
        }
    }

    /**
     * A packet of any type carrying text (or nothing) after its type character.
     *
     * @param type the packet type
     * @param text the data after the type character; empty or {@code null} for none
     * @return the packet, with no binary data
     */
    public static EnginePacket text(EnginePacketType type, String text) {
        return new EnginePacket(type, text, null);
    }

    /**
     * A message packet carrying binary data.
     *
     * @param data the message bytes, kept as given (not copied)
     * @return a {@link EnginePacketType#MESSAGE} packet with no text
     */
    public static EnginePacket binaryMessage(byte[] data) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, data);
    }

    /**
     * Whether this packet carries binary data rather than text.
     *
     * @return {@code true} for a binary message
     */
    public boolean isBinary() {
        return binary != null;
    }
}
