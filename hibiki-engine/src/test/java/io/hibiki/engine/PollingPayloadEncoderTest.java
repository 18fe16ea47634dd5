package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.engine.codec.EnginePacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Outbound long-polling payloads, byte for byte, and ownership of the messages they are built from. */
class PollingPayloadEncoderTest {

    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void encodesOneTextMessage() {
        assertPayload("4hello", EngineMessage.text("hello"));
    }

    @Test
    void joinsTextAndBinaryWithTheRecordSeparator() {
        assertPayload("4hello\u001ebAQID",
                EngineMessage.text("hello"), EngineMessage.binary(new byte[] {1, 2, 3}));
    }

    @Test
    void encodesControlPacketsAndEmptyMessages() {
        assertPayload("2\u001e4\u001e6\u001e1",
                EngineMessage.control(EnginePacketType.PING, ""), EngineMessage.text(""),
                EngineMessage.control(EnginePacketType.NOOP, ""), EngineMessage.control(EnginePacketType.CLOSE, ""));
    }

    @Test
    void encodesTextAsUtf8() {
        ByteBuf out = PollingPayloadEncoder.encode(ALLOC, List.of(EngineMessage.text("é🌸")));
        try {
            assertArrayEquals("4é🌸".getBytes(StandardCharsets.UTF_8), ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"'', b", "01, bAQ==", "0102, bAQI=", "010203, bAQID", "01020304, bAQIDBA==", "fbff, b+/8="})
    void encodesBinaryAsPaddedStandardBase64(String hex, String expected) {
        assertPayload(expected, EngineMessage.binary(ByteBufUtil.decodeHexDump(hex)));
    }

    @Test
    void encodesLongBinaryWithoutLineBreaks() {
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        String expected = "b" + Base64.getEncoder().encodeToString(data) + "\u001e4x";
        assertPayload(expected, EngineMessage.binary(data), EngineMessage.text("x"));
    }

    @Test
    void encodesOnlyTheReadableBytesOfAMessage() {
        ByteBuf wire = Unpooled.copiedBuffer("xx4abc", StandardCharsets.US_ASCII);
        wire.skipBytes(2);
        ByteBuf bin = Unpooled.wrappedBuffer(new byte[] {9, 1, 2, 3});
        bin.skipBytes(1);
        assertPayload("4abc\u001ebAQID", EngineMessage.encodedText(wire), EngineMessage.binary(bin));
    }

    @Test
    void releasesEveryInput() {
        EngineMessage text = EngineMessage.text("hello");
        EngineMessage binary = EngineMessage.binary(new byte[] {1, 2, 3});
        ByteBuf out = PollingPayloadEncoder.encode(ALLOC, List.of(text, binary));
        out.release();
        assertEquals(0, text.refCnt());
        assertEquals(0, binary.refCnt());
        assertEquals(0, text.content().refCnt());
        assertEquals(0, binary.content().refCnt());
    }

    @Test
    void sharedBytesSurviveOneSessionsEncoding() {
        // A broadcast hands each session a reference on one message; encoding one must not free the others' bytes.
        EngineMessage shared = EngineMessage.text("fan-out");
        EngineMessage forA = (EngineMessage) shared.retain();
        EngineMessage forB = (EngineMessage) shared.retain();
        shared.release();
        ByteBuf a = PollingPayloadEncoder.encode(ALLOC, List.of(forA));
        assertEquals(1, forB.refCnt(), "encoding A released only A's reference");
        ByteBuf b = PollingPayloadEncoder.encode(ALLOC, List.of(forB));
        try {
            assertEquals("4fan-out", a.toString(StandardCharsets.UTF_8));
            assertEquals("4fan-out", b.toString(StandardCharsets.UTF_8));
            assertEquals(0, shared.content().refCnt(), "the last reference frees the shared buffer");
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void worksWithAPooledAllocator() {
        ByteBuf out = PollingPayloadEncoder.encode(PooledByteBufAllocator.DEFAULT,
                List.of(EngineMessage.binary(new byte[] {1, 2, 3}), EngineMessage.text("z")));
        try {
            assertEquals("bAQID\u001e4z", out.toString(StandardCharsets.UTF_8));
        } finally {
            out.release();
        }
    }

    private static void assertPayload(String expected, EngineMessage... messages) {
        ByteBuf out = PollingPayloadEncoder.encode(ALLOC, List.of(messages));
        try {
            assertEquals(expected, out.toString(StandardCharsets.UTF_8));
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
        for (EngineMessage m : messages) {
            assertEquals(0, m.refCnt(), "input released");
        }
    }
}
