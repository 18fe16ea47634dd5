package io.hibiki.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Encoder → decoder round trips over arbitrary packets: every type, random namespaces and ack ids, and arguments
 * of JSON-ish data with binary values at any depth. What the server encodes is exactly what a Hibiki decoder (and
 * so, by the wire fixtures, socket.io-parser) reads back, attachments in placeholder order. Samples come from
 * fixed seeds ({@link RandomPackets#forAll}).
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
        int binaries = RandomPackets.binaryCount(sent.data());
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
            JsonNode expected = RandomPackets.expectedTree(sent.data());
            JsonNode actual = (JsonNode) received.data();
            assertTrue(expected.equals(RandomPackets.SAME_VALUE, actual),
                    "sent " + expected + "\nwire " + encoded.text() + "\ngot  " + actual);
        }
    }

    @Test
    void everyPacketComesBackAsSent() {
        RandomPackets.forAll(0x5EED_0201L, 1500, RandomPackets::packet, sent -> {
            EncodedPacket encoded = ENCODER.encode(sent);
            Packet received = decode(new PacketDecoder(MAPPER, Integer.MAX_VALUE), encoded);
            assertRoundTrip(sent, encoded, received);
        });
    }

    @Test
    void aStreamOfPacketsComesBackInOrderThroughOneDecoder() {
        RandomPackets.forAll(0x5EED_0202L, 300, r -> RandomPackets.list(r, 1, 8, RandomPackets::packet), sent -> {
            PacketDecoder decoder = new PacketDecoder(MAPPER, Integer.MAX_VALUE);
            List<Packet> received = new ArrayList<>();
            List<EncodedPacket> encoded = sent.stream().map(ENCODER::encode).toList();
            for (EncodedPacket e : encoded) {
                received.add(decode(decoder, e));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertRoundTrip(sent.get(i), encoded.get(i), received.get(i));
            }
        });
    }

    @Test
    void binaryAtEveryDepthIsNumberedInDocumentOrder() throws Exception {
        byte[] a = {1};
        byte[] b = {2};
        byte[] c = {3};
        Packet sent = Packet.event("/x", 7, List.of("deep", a,
                Map.of("k", List.of(List.of(b), Map.of("z", c)))));
        EncodedPacket encoded = ENCODER.encode(sent);
        assertEquals(List.of(a, b, c), encoded.attachments());
        assertRoundTrip(sent, encoded, decode(new PacketDecoder(MAPPER), encoded));
    }
}
