package io.hibiki.engine.codec;

import java.util.Objects;

/**
 * One decoded inbound Engine.IO packet. A message carries either text or binary data; other types carry
 * optional text (the {@code probe} of a ping during upgrade).
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary) {

    public EnginePacket {
        Objects.requireNonNull(type, "type");
        if (text != null && binary != null) {
            throw new IllegalArgumentException("a packet carries text or binary, not both");
        }
    }

    public static EnginePacket text(EnginePacketType type, String text) {
        return new EnginePacket(type, text, null);
    }

    public static EnginePacket binaryMessage(byte[] data) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, data);
    }

    public boolean isBinary() {
        return binary != null;
    }
}
