package io.hibiki.engine;

import io.hibiki.engine.codec.EnginePacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * An outbound Engine.IO packet, encoded once. A text packet's content is its full wire form (type digit and
 * data, e.g. {@code 4hello}); a binary message's content is the raw bytes. To send one message to many
 * sessions, create it once and hand it to each {@link EngineSocket#send(EngineMessage)}: every session takes a
 * reference on the same message (and the same lazily built WebSocket frame), none copies it. Consumers never move
 * the content's indices. The creator releases its own reference when done.
 */
public final class EngineMessage extends AbstractReferenceCounted {

    private final ByteBuf content;
    private final boolean binary;
    /** The whole WebSocket frame (header + payload), built on first use and shared by every recipient. */
    private volatile ByteBuf webSocketFrame;
    /** Whether transports may compress it (permessage-deflate, polling's HTTP compression). */
    private volatile boolean compress = true;

    private EngineMessage(ByteBuf content, boolean binary) {
        this.content = content;
        this.binary = binary;
    }

    /**
     * A text message packet ({@code 4} + text).
     *
     * @param text the message, encoded as UTF-8
     * @return a new message holding one reference, which the caller owns
     */
    public static EngineMessage text(String text) {
        return control(EnginePacketType.MESSAGE, text);
    }

    /**
     * A binary message packet; the array is copied into a buffer of its own.
     *
     * @param data the message bytes; the caller may reuse the array afterwards
     * @return a new message holding one reference, which the caller owns
     */
    public static EngineMessage binary(byte[] data) {
        return new EngineMessage(Unpooled.copiedBuffer(data), true);
    }

    /**
     * A binary message packet that takes ownership of {@code data}.
     *
     * @param data the message bytes, from its reader index to its writer index; released with the message
     * @return a new message holding one reference, which the caller owns
     */
    public static EngineMessage binary(ByteBuf data) {
        return new EngineMessage(data, true);
    }

    /**
     * A text message packet from already encoded UTF-8 bytes ({@code 4} + text); takes ownership.
     *
     * @param wireForm the whole packet as it goes on the wire, type digit included; released with the message
     * @return a new message holding one reference, which the caller owns
     */
    public static EngineMessage encodedText(ByteBuf wireForm) {
        return new EngineMessage(wireForm, false);
    }

    static EngineMessage control(EnginePacketType type, String data) {
        int max = ByteBufUtil.utf8MaxBytes(data) + 1;
        // Pooled: an unpooled direct buffer per message costs an allocation and a cleaner-driven free each time.
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(max);
        buf.writeByte(type.code());
        ByteBufUtil.writeUtf8(buf, data);
        return new EngineMessage(buf, false);
    }

    /**
     * Bytes this session-independent message holds: the frame payload on WebSocket.
     *
     * @return the content, shared by every recipient; read it without moving its indices, and do not release it
     */
    public ByteBuf content() {
        return content;
    }

    /**
     * Whether this is a binary message; otherwise it is a text packet in wire form.
     *
     * @return {@code true} for a binary message
     */
    public boolean isBinary() {
        return binary;
    }

    /**
     * Asks transports not to compress this message ({@code compress(false)} in Socket.IO); returns it. Set it before
     * the message is sent: it is one flag for every recipient of the message.
     *
     * @return this message
     */
    public EngineMessage uncompressed() {
        compress = false;
        return this;
    }

    /**
     * Whether transports may compress this message.
     *
     * @return {@code true} unless {@link #uncompressed()} was called; {@code true} by default
     */
    public boolean compress() {
        return compress;
    }

    /**
     * The message as one unmasked WebSocket frame, encoded once: server frames are the same bytes for every
     * recipient, so a broadcast writes duplicates of one buffer instead of framing (and copying) per socket.
     * Only for connections without permessage-deflate.
     */
    ByteBuf webSocketFrame() {
        ByteBuf frame = webSocketFrame;
        if (frame == null) {
            synchronized (this) {
                frame = webSocketFrame;
                if (frame == null) {
                    frame = WebSocketFrames.encode(content, binary);
                    webSocketFrame = frame;
                }
            }
        }
        return frame;
    }

    @Override
    protected void deallocate() {
        content.release();
        ByteBuf frame = webSocketFrame;
        if (frame != null) {
            frame.release();
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return binary ? "binary(" + content.readableBytes() + " bytes)"
                : content.toString(io.netty.util.CharsetUtil.UTF_8);
    }
}
