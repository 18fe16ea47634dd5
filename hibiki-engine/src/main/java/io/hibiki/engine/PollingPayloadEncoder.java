package io.hibiki.engine;

import io.hibiki.engine.codec.EnginePacketDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.base64.Base64;
import io.netty.handler.codec.base64.Base64Dialect;
import java.util.List;

/** Joins outbound packets into one long-polling payload: text as is, binary as {@code b} + base64. */
final class PollingPayloadEncoder {

    private PollingPayloadEncoder() {
    }

    /** Encodes and releases {@code messages}. */
    static ByteBuf encode(ByteBufAllocator alloc, List<EngineMessage> messages) {
        int size = 0;
        for (EngineMessage m : messages) {
            int n = m.content().readableBytes();
            size += 1 + (m.isBinary() ? 1 + (n + 2) / 3 * 4 : n);
        }
        ByteBuf out = alloc.buffer(size);
        try {
            for (int i = 0; i < messages.size(); i++) {
                EngineMessage m = messages.get(i);
                if (i > 0) {
                    out.writeByte(EnginePacketDecoder.RECORD_SEPARATOR);
                }
                ByteBuf content = m.content();
                if (m.isBinary()) {
                    out.writeByte('b');
                    ByteBuf b64 = Base64.encode(content, content.readerIndex(), content.readableBytes(), false,
                            Base64Dialect.STANDARD, alloc);
                    out.writeBytes(b64);
                    b64.release();
                } else {
                    out.writeBytes(content, content.readerIndex(), content.readableBytes());
                }
            }
            return out;
        } finally {
            for (EngineMessage m : messages) {
                m.release();
            }
        }
    }
}
