package io.hibiki.socketio.adapter;

import io.hibiki.engine.EngineMessage;
import io.hibiki.socketio.parser.EncodedPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * One Socket.IO packet as Engine.IO messages, encoded once: the text part, then one binary message per
 * attachment. Every recipient shares these buffers. The creator calls {@link #release()} after the fan-out.
 */
public final class EncodedMessages {

    private final List<EngineMessage> messages;

    private EncodedMessages(List<EngineMessage> messages) {
        this.messages = messages;
    }

    /**
     * Wraps an encoded packet's text and attachments in Engine.IO messages; each attachment is copied into a
     * buffer of its own, so the arrays may be reused afterwards.
     *
     * @param packet the encoded packet
     * @return the messages, each holding one reference the caller must give back with {@link #release()}
     */
    public static EncodedMessages of(EncodedPacket packet) {
        List<EngineMessage> list = new ArrayList<>(1 + packet.attachments().size());
        if (packet.text() != null) {
            list.add(EngineMessage.text(packet.text()));
        }
        for (byte[] a : packet.attachments()) {
            list.add(EngineMessage.binary(a));
        }
        return new EncodedMessages(list);
    }

    /**
     * The messages to send, in order.
     *
     * @return the text message, then one binary message per attachment
     */
    public List<EngineMessage> messages() {
        return messages;
    }

    /**
     * The size of the messages' contents: what one recipient gets, without transport framing.
     *
     * @return the bytes of every message together
     */
    public long bytes() {
        long n = 0;
        for (EngineMessage m : messages) {
            n += m.content().readableBytes();
        }
        return n;
    }

    /** Another reference on every message, for a fan-out that finishes on other threads. */
    public void retain() {
        for (EngineMessage m : messages) {
            m.retain();
        }
    }

    /**
     * Gives back one reference on every message: the creator's after the fan-out, or one taken by
     * {@link #retain()}.
     */
    public void release() {
        for (EngineMessage m : messages) {
            m.release();
        }
    }
}
