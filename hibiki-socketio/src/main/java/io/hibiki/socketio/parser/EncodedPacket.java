package io.hibiki.socketio.parser;

import java.util.List;
import java.util.Objects;

/**
 * A packet ready for the Engine.IO layer: one text message followed by zero or more binary messages.
 *
 * @param text        the Engine.IO message text, without the Engine.IO {@code "4"} message prefix
 * @param attachments the binary Engine.IO messages that must follow {@code text}, in order; empty
 *                    unless the packet is a BINARY_EVENT or BINARY_ACK. The arrays may be shared with
 *                    the encoded {@link Packet}'s data and must not be modified.
 */
public record EncodedPacket(String text, List<byte[]> attachments) {

    /**
     * Normalises {@code attachments} to an unmodifiable list.
     *
     * @param text        the Engine.IO message text, without the {@code "4"} message prefix
     * @param attachments the binary messages that follow the text, in order; copied, the arrays themselves are not
     * @throws NullPointerException if {@code text} or {@code attachments} is {@code null}, or an attachment is
     */
    public EncodedPacket {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
    }

    /**
     * Whether binary messages follow the text message.
     *
     * @return {@code true} when there is at least one attachment
     */
    public boolean hasAttachments() {
        return !attachments.isEmpty();
    }
}
