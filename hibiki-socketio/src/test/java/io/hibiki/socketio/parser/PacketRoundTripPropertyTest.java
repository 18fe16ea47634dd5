package io.hibiki.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Encoder → decoder round trips over arbitrary packets: every type, random namespaces and ack ids, and arguments
 * of JSON-ish data with binary values at any depth. What the server encodes is exactly what a Hibiki decoder (and
 * so, by the wire fixtures, socket.io-parser) reads back, attachments in placeholder order.
 */
class PacketRoundTripPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PacketEncoder ENCODER = new PacketEncoder(MAPPER);

    /** Feeds one encoded packet to the decoder; returns what the last message completed. */
    private static Packet decode(PacketDecoder decoder, EncodedPacket encoded) throws PacketParseException {
        Packet p = decoder.decodeText(encoded.text());
        for (byte[] attachment : encoded.attachments()) {
            assertNull(p, "completed before its last attachment");
            assertTrue(decoder.awaitingAttachments());
            p = decoder.decodeBinary(attachment);
        }
        assertFalse(decoder.awaitingAttachments());
        return p;
    }

    private static void assertRoundTrip(Packet sent, EncodedPacket encoded, Packet received) {
        int binaries = PacketArbitraries.binaryCount(sent.data());
        assertEquals(binaries, encoded.attachments().size(), encoded.text());
        PacketType expectedType = switch (sent.type()) {
            case EVENT, BINARY_EVENT -> binaries > 0 ? PacketType.BINARY_EVENT : PacketType.EVENT;
            case ACK, BINARY_ACK -> binaries > 0 ? PacketType.BINARY_ACK : PacketType.ACK;
            default -> sent.type();
        };
        assertEquals(expectedType, received.type(), encoded.text());
        assertEquals(sent.namespace(), received.namespace(), encoded.text());
        assertEquals(sent.id(), received.id(), encoded.text());
        if (sent.data() == null) {
            assertNull(received.data(), encoded.text());
        } else {
            JsonNode expected = PacketArbitraries.expectedTree(sent.data());
            JsonNode actual = (JsonNode) received.data();
            assertTrue(expected.equals(PacketArbitraries.SAME_VALUE, actual),
                    "sent " + expected + "\nwire " + encoded.text() + "\ngot  " + actual);
        }
    }

    @Property(tries = 1500)
    void everyPacketComesBackAsSent(@ForAll("packets") Packet sent) throws Exception {
        EncodedPacket encoded = ENCODER.encode(sent);
        Packet received = decode(new PacketDecoder(MAPPER, Integer.MAX_VALUE), encoded);
        assertRoundTrip(sent, encoded, received);
    }

    @Property(tries = 300)
    void aStreamOfPacketsComesBackInOrderThroughOneDecoder(@ForAll("streams") List<Packet> sent) throws Exception {
        PacketDecoder decoder = new PacketDecoder(MAPPER, Integer.MAX_VALUE);
        List<Packet> received = new ArrayList<>();
        List<EncodedPacket> encoded = sent.stream().map(ENCODER::encode).toList();
        for (EncodedPacket e : encoded) {
            received.add(decode(decoder, e));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertRoundTrip(sent.get(i), encoded.get(i), received.get(i));
        }
    }

    @Example
    void binaryAtEveryDepthIsNumberedInDocumentOrder() throws Exception {
        byte[] a = {1};
        byte[] b = {2};
        byte[] c = {3};
        Packet sent = Packet.event("/x", 7, List.of("deep", a,
                java.util.Map.of("k", List.of(List.of(b), java.util.Map.of("z", c)))));
        EncodedPacket encoded = ENCODER.encode(sent);
        assertEquals(List.of(a, b, c), encoded.attachments());
        assertRoundTrip(sent, encoded, decode(new PacketDecoder(MAPPER), encoded));
    }

    @Provide
    Arbitrary<Packet> packets() {
        return PacketArbitraries.packets();
    }

    @Provide
    Arbitrary<List<Packet>> streams() {
        return PacketArbitraries.packets().list().ofMinSize(1).ofMaxSize(8);
    }
}
