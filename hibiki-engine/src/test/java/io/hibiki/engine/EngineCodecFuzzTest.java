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
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property tests of the Engine.IO codec: whatever a client sends, the decoder answers with packets or an
 * {@link EngineParseException} (nothing else may escape into the event loop), and every payload the server can
 * encode decodes back to the same packets. Tries are bounded so each property runs in a few seconds.
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
            return binary != null ? "binary" + java.util.Arrays.toString(binary) : type + ":" + text;
        }
    }

    @Property(tries = 10000)
    void decodeTextReturnsAPacketOrThrowsParseException(@ForAll("hostile") String input) {
        try {
            EnginePacket p = EnginePacketDecoder.decodeText(input);
            assertNotNull(p.type());
            assertEquals(input.charAt(0), p.type().code());
            assertEquals(input.substring(1), p.text(), "the data after the type is kept verbatim");
            assertFalse(p.isBinary());
        } catch (EngineParseException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @Property(tries = 10000)
    void decodePayloadReturnsPacketsOrThrowsParseException(@ForAll("hostile") String input,
                                                           @ForAll @IntRange(min = 0, max = 8) int maxPackets) {
        try {
            List<EnginePacket> packets = EnginePacketDecoder.decodePayload(input, maxPackets);
            assertTrue(packets.size() >= 1 && packets.size() <= maxPackets, "packets: " + packets.size());
            assertEquals(input.split(Fuzz.RS, -1).length, packets.size(), "one packet per separated part");
        } catch (EngineParseException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @Property(tries = 1000)
    void everyEncodedPayloadDecodesToTheSamePackets(@ForAll("payloads") List<Outbound> packets) throws Exception {
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
    }

    @Property(tries = 1000)
    void everyTextPacketDecodesFromItsWebSocketForm(@ForAll("textPackets") Outbound packet) throws Exception {
        EngineMessage m = packet.toMessage();
        String frame;
        try {
            frame = m.content().toString(CharsetUtil.UTF_8);
        } finally {
            m.release();
        }
        assertSamePacket(packet, EnginePacketDecoder.decodeText(frame));
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

    @Example
    void theSeedCorpusDecodes() throws Exception {
        for (String seed : Fuzz.SEEDS) {
            if (!seed.startsWith("b")) {
                assertEquals(seed.substring(1), EnginePacketDecoder.decodeText(seed).text(), seed);
            }
            assertFalse(EnginePacketDecoder.decodePayload(seed, 10).isEmpty(), seed);
        }
    }

    @Example
    void aPayloadOfOnlySeparatorsIsRefusedBeforeItAllocatesAPacketPerByte() {
        String separators = Fuzz.RS.repeat(1_000_000);
        EngineParseException e = org.junit.jupiter.api.Assertions.assertThrows(EngineParseException.class,
                () -> EnginePacketDecoder.decodePayload(separators, 100));
        assertNotNull(e.getMessage());
    }

    @Provide
    Arbitrary<String> hostile() {
        return Fuzz.hostileText();
    }

    @Provide
    Arbitrary<Outbound> textPackets() {
        Arbitrary<Outbound> messages = Fuzz.messageText().map(t -> new Outbound(EnginePacketType.MESSAGE, t, null));
        Arbitrary<Outbound> controls = Combinators.combine(
                Arbitraries.of(EnginePacketType.PING, EnginePacketType.PONG, EnginePacketType.NOOP,
                        EnginePacketType.CLOSE, EnginePacketType.OPEN, EnginePacketType.UPGRADE),
                Arbitraries.of("", "probe")).as((type, text) -> new Outbound(type, text, null));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, messages), net.jqwik.api.Tuple.of(1, controls));
    }

    @Provide
    Arbitrary<List<Outbound>> payloads() {
        Arbitrary<Outbound> binaries = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                .map(b -> new Outbound(EnginePacketType.MESSAGE, null, b));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, textPackets()), net.jqwik.api.Tuple.of(2, binaries))
                .list().ofMinSize(1).ofMaxSize(12);
    }
}
