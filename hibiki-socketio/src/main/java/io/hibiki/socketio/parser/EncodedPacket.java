package io.hibiki.socketio.parser;

import java.util.List;

/**
 * A packet ready for the Engine.IO layer: one text message followed by zero or more binary messages (the default
 * parser), or a single binary message and no text (the msgpack parser, {@link #frame}).
 *
 * @param text        the Engine.IO message text, without the Engine.IO {@code "4"} message prefix; {@code null}
 *                    for a packet that is one binary message
 * @param attachments the binary Engine.IO messages that must follow {@code text}, in order; empty
 *                    unless the packet is a BINARY_EVENT or BINARY_ACK. The arrays may be shared with
 *                    the encoded {@link Packet}'s data and must not be modified. Without text: the one frame.
 */
public record EncodedPacket(String text, List<byte[]> attachments) {

    /**
     * Normalises {@code attachments} to an unmodifiable list.
     *
     * @param text        the Engine.IO message text, without the {@code "4"} message prefix
     * @param attachments the binary messages that follow the text, in order; copied, the arrays themselves are not
     * @throws NullPointerException     if {@code attachments} is {@code null}, or an attachment is
     * @throws IllegalArgumentException if there is no text and not exactly one binary message
     */
    public EncodedPacket {
        attachments = List.copyOf(attachments);
        if (text == null && attachments.size() != 1) {
            throw new IllegalArgumentException("a packet without text is exactly one binary message");
        }
    }

    /**
     * A packet that is one binary Engine.IO message, as the msgpack parser writes every packet.
     *
     * @param bytes the whole packet
     * @return the encoded packet, with no text
     */
    public static EncodedPacket frame(byte[] bytes) {
        return new EncodedPacket(null, List.of(bytes));
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
