package io.hibiki.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Encodes complete server-to-client WebSocket frames (RFC 6455 §5.2: FIN, no mask). Every frame Hibiki sends is
 * encoded here, so a connection without permessage-deflate needs no frame encoder in its pipeline.
 */
final class WebSocketFrames {

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PONG = 0xA;

    private WebSocketFrames() {
    }

    /** A data frame carrying {@code payload}, which stays the caller's. */
    static ByteBuf encode(ByteBuf payload, boolean binary) {
        return frame(binary ? OPCODE_BINARY : OPCODE_TEXT, payload);
    }

    /** The answer to a ping: its payload back (the caller's to release). */
    static ByteBuf pong(ByteBuf pingPayload) {
        return frame(OPCODE_PONG, pingPayload);
    }

    /** A close frame with the status code and no reason text, as Node's ws sends them (clients compare them). */
    static ByteBuf close(WebSocketCloseStatus status) {
        ByteBuf payload = Unpooled.buffer(2).writeShort(status.code());
        try {
            return frame(OPCODE_CLOSE, payload);
        } finally {
            payload.release();
        }
    }

    private static ByteBuf frame(int opcode, ByteBuf payload) {
        int length = payload.readableBytes();
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + length);
        frame.writeByte(0x80 | opcode);
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
