package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.engine.codec.EnginePacket;
import io.hibiki.engine.codec.EnginePacketDecoder;
import io.hibiki.engine.codec.EnginePacketType;
import io.hibiki.engine.codec.EngineParseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.CharsetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the Engine.IO codec: whatever a client sends, the decoder answers with packets or an
 * {@link EngineParseException} (nothing else may escape into the event loop), and every payload the server can
 * encode decodes back to the same packets. Each property runs a bounded number of tries over samples from fixed
 * seeds ({@link Fuzz#forAll}), so it takes a few seconds and a failure names the input that reproduces it.
 */
class EngineCodecFuzzTest {

    /** One packet as the server builds it: a control packet with its text, a text message, or a binary one. */
    record Outbound(EnginePacketType type, String text, byte[] binary) {
        EngineMessage toMessage() {
            if (binary != null) {
                return EngineMessage.binary(binary);
            }
            return type == EnginePacketType.MESSAGE ? EngineMessage.text(text) : EngineMessage.control(type, text);
        }

        @Override
        public String toString() {
            return binary != null ? "binary" + Arrays.toString(binary) : type + ":" + Fuzz.quote(text);
        }
    }

    /** A hostile payload and the packet limit it is decoded with. */
    record LimitedPayload(String input, int maxPackets) {
        @Override
        public String toString() {
            return Fuzz.quote(input) + " with maxPackets " + maxPackets;
        }
    }

    @Test
    void decodeTextReturnsAPacketOrThrowsParseException() {
        Fuzz.forAll(0x5EED_0001L, 10_000, Fuzz::hostileText, input -> {
            try {
                EnginePacket p = EnginePacketDecoder.decodeText(input);
                assertNotNull(p.type());
                assertEquals(input.charAt(0), p.type().code());
                assertEquals(input.substring(1), p.text(), "the data after the type is kept verbatim");
                assertFalse(p.isBinary());
            } catch (EngineParseException expected) {
                assertNotNull(expected.getMessage());
            }
        });
    }

    @Test
    void decodePayloadReturnsPacketsOrThrowsParseException() {
        Fuzz.forAll(0x5EED_0002L, 10_000, r -> new LimitedPayload(Fuzz.hostileText(r), r.nextInt(9)), sample -> {
            String input = sample.input();
            int maxPackets = sample.maxPackets();
            try {
                List<EnginePacket> packets = EnginePacketDecoder.decodePayload(input, maxPackets);
                assertTrue(packets.size() >= 1 && packets.size() <= maxPackets, "packets: " + packets.size());
                assertEquals(input.split(Fuzz.RS, -1).length, packets.size(), "one packet per separated part");
            } catch (EngineParseException expected) {
                assertNotNull(expected.getMessage());
            }
        });
    }

    @Test
    void everyEncodedPayloadDecodesToTheSamePackets() {
        Fuzz.forAll(0x5EED_0003L, 1000, EngineCodecFuzzTest::payload, packets -> {
            List<EngineMessage> messages = new ArrayList<>();
            packets.forEach(p -> messages.add(p.toMessage()));
            ByteBuf wire = PollingPayloadEncoder.encode(ByteBufAllocator.DEFAULT, messages);
            String payload;
            try {
                payload = wire.toString(CharsetUtil.UTF_8);
            } finally {
                wire.release();
            }
            List<EnginePacket> decoded = EnginePacketDecoder.decodePayload(payload, packets.size());
            assertEquals(packets.size(), decoded.size(), payload);
            for (int i = 0; i < packets.size(); i++) {
                assertSamePacket(packets.get(i), decoded.get(i));
            }
        });
    }

    @Test
    void everyTextPacketDecodesFromItsWebSocketForm() {
        Fuzz.forAll(0x5EED_0004L, 1000, EngineCodecFuzzTest::textPacket, packet -> {
            EngineMessage m = packet.toMessage();
            String frame;
            try {
                frame = m.content().toString(CharsetUtil.UTF_8);
            } finally {
                m.release();
            }
            assertSamePacket(packet, EnginePacketDecoder.decodeText(frame));
        });
    }

    private static void assertSamePacket(Outbound expected, EnginePacket actual) {
        if (expected.binary() != null) {
            assertTrue(actual.isBinary(), "binary expected, got " + actual);
            assertEquals(EnginePacketType.MESSAGE, actual.type());
            assertArrayEquals(expected.binary(), actual.binary());
        } else {
            assertEquals(expected.type(), actual.type());
            assertEquals(expected.text(), actual.text());
            assertNull(actual.binary());
        }
    }

    @Test
    void theSeedCorpusDecodes() throws Exception {
        for (String seed : Fuzz.SEEDS) {
            if (!seed.startsWith("b")) {
                assertEquals(seed.substring(1), EnginePacketDecoder.decodeText(seed).text(), seed);
            }
            assertFalse(EnginePacketDecoder.decodePayload(seed, 10).isEmpty(), seed);
        }
    }

    @Test
    void aPayloadOfOnlySeparatorsIsRefusedBeforeItAllocatesAPacketPerByte() {
        String separators = Fuzz.RS.repeat(1_000_000);
        EngineParseException e = org.junit.jupiter.api.Assertions.assertThrows(EngineParseException.class,
                () -> EnginePacketDecoder.decodePayload(separators, 100));
        assertNotNull(e.getMessage());
    }

    // ---- samples ----

    private static final List<EnginePacketType> CONTROL_TYPES = List.of(EnginePacketType.PING, EnginePacketType.PONG,
            EnginePacketType.NOOP, EnginePacketType.CLOSE, EnginePacketType.OPEN, EnginePacketType.UPGRADE);

    /** A text message (four times in five) or a control packet with an empty or "probe" text. */
    static Outbound textPacket(Random r) {
        if (Fuzz.weighted(r, 4, 1) == 0) {
            return new Outbound(EnginePacketType.MESSAGE, Fuzz.messageText(r), null);
        }
        return new Outbound(Fuzz.pick(r, CONTROL_TYPES), r.nextBoolean() ? "" : "probe", null);
    }

    /** One to twelve packets, text and binary mixed 3:2; binaries of up to 64 bytes. */
    static List<Outbound> payload(Random r) {
        return Fuzz.list(r, 1, 12, x -> Fuzz.weighted(x, 3, 2) == 0 ? textPacket(x)
                : new Outbound(EnginePacketType.MESSAGE, null, Fuzz.bytes(x, 0, 64)));
    }
}
