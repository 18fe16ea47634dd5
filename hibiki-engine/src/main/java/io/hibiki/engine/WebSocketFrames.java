package io.hibiki.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encodes a complete server-to-client WebSocket frame (RFC 6455 §5.2: FIN, no mask). */
final class WebSocketFrames {

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;

    private WebSocketFrames() {
    }

    static ByteBuf encode(ByteBuf payload, boolean binary) {
        int length = payload.readableBytes();
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + length);
        frame.writeByte(0x80 | (binary ? OPCODE_BINARY : OPCODE_TEXT));
        if (length < 126) {
            frame.writeByte(length);
        } else if (length < 65536) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        frame.writeBytes(payload, payload.readerIndex(), length);
        return frame;
    }
}
