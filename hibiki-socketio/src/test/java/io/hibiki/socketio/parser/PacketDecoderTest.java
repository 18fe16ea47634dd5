package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.hibiki.socketio.parser.PacketFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.hibiki.socketio.parser.PacketFixtures.BYTES_123;
import static io.hibiki.socketio.parser.PacketFixtures.BYTES_45;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketDecoderTest {
    private static final String PLACEHOLDER_0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String PLACEHOLDER_1 = "{\"_placeholder\":true,\"num\":1}";

    private final ObjectMapper mapper = new ObjectMapper();
    private final PacketDecoder decoder = new PacketDecoder(mapper, PacketDecoder.DEFAULT_MAX_ATTACHMENTS);
    private final PacketEncoder encoder = new PacketEncoder(mapper);

    static Stream<Fixture> fixtures() {
        return PacketFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesFixtureAndReencodesItByteForByte(Fixture fixture) throws PacketParseException {
        Packet decoded = decodeAll(fixture.text(), fixture.attachments().toArray(byte[][]::new));

        Packet expected = fixture.packet();
        PacketType expectedType = fixture.attachments().isEmpty() ? expected.type()
                : expected.type() == PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
        assertEquals(expectedType, decoded.type());
        assertEquals(expected.namespace(), decoded.namespace());
        assertEquals(expected.id(), decoded.id());
        if (fixture.attachments().isEmpty()) {
            assertEquals(expected.data() == null ? null : mapper.valueToTree(expected.data()), decoded.data());
        }
        EncodedPacket reencoded = encoder.encode(decoded);
        assertEquals(fixture.text(), reencoded.text());
        PacketEncoderTest.assertAttachments(fixture.attachments(), reencoded);
    }

    @Test
    void waitsForEveryAttachmentThenReplacesPlaceholders() throws PacketParseException {
        String text = "52-/admin,3[\"files\",{\"a\":" + PLACEHOLDER_0 + ",\"b\":[1," + PLACEHOLDER_1 + "]}]";

        assertNull(decoder.decodeText(text));
        assertTrue(decoder.awaitingAttachments());
        assertNull(decoder.decodeBinary(BYTES_123));
        assertTrue(decoder.awaitingAttachments());
        Packet packet = decoder.decodeBinary(BYTES_45);

        assertFalse(decoder.awaitingAttachments());
        assertEquals(new Packet(PacketType.BINARY_EVENT, "/admin", 3, packet.data()), packet);
        JsonNode files = ((JsonNode) packet.data()).get(1);
        assertSame(BYTES_123, assertInstanceOf(BinaryNode.class, files.get("a")).binaryValue());
        assertSame(BYTES_45, assertInstanceOf(BinaryNode.class, files.get("b").get(1)).binaryValue());
        assertEquals(1, files.get("b").get(0).intValue());
    }

    @Test
    void aPlaceholderMayBeUsedTwiceAndCarryExtraFields() throws PacketParseException {
        Packet packet = decodeAll("61-9[" + PLACEHOLDER_0 + ",{\"_placeholder\":true,\"num\":0,\"x\":1}]", BYTES_45);

        JsonNode args = (JsonNode) packet.data();
        assertEquals(PacketType.BINARY_ACK, packet.type());
        assertEquals(9, packet.id());
        assertEquals(BinaryNode.valueOf(BYTES_45), args.get(0));
        assertEquals(BinaryNode.valueOf(BYTES_45), args.get(1));
    }

    @Test
    void placeholdersInPlainPacketsStayPlainObjects() throws PacketParseException {
        Packet packet = decoder.decodeText("2[\"a\"," + PLACEHOLDER_0 + ",{\"_placeholder\":false}]");

        JsonNode args = (JsonNode) packet.data();
        assertTrue(args.get(1).isObject());
        assertTrue(args.get(2).isObject());
    }

    @Test
    void zeroAttachmentBinaryPacketIsReturnedAtOnce() throws PacketParseException {
        Packet packet = decoder.decodeText("50-[\"a\",{\"_placeholder\":false}]");

        assertNotNull(packet);
        assertEquals(PacketType.BINARY_EVENT, packet.type());
        assertFalse(decoder.awaitingAttachments());
        assertThrows(PacketParseException.class, () -> decoder.decodeText("50-[\"a\"," + PLACEHOLDER_0 + "]"));
    }

    @Test
    void acceptsWhatSocketIoParserAccepts() throws PacketParseException {
        assertEquals(12, decoder.decodeText("2012[\"a\"]").id());
        assertEquals(999_999_999_999_999L, decoder.decodeText("2999999999999999[\"a\"]").id());
        assertEquals("/", decoder.decodeText("2/,[\"a\"]").namespace());
        assertEquals("/ünï cödé", decoder.decodeText("1/ünï cödé,").namespace());
        assertEquals("é", ((JsonNode) decoder.decodeText("2 [\"é\"] ").data()).get(0).textValue());
        assertEquals(PacketType.CONNECT, decoder.decodeText("0/admin,{\"token\":\"x\"}").type());
    }

    @Test
    void aNamespaceMayEndThePacket() throws PacketParseException {
        // socket.io-parser reads the namespace up to a ',' or the end: other clients than the JS one omit the comma.
        assertEquals(new Packet(PacketType.CONNECT, "/custom", Packet.NO_ID, null), decoder.decodeText("0/custom"));
        assertEquals(new Packet(PacketType.DISCONNECT, "/custom", Packet.NO_ID, null), decoder.decodeText("1/custom"));
        assertEquals(new Packet(PacketType.CONNECT, "/", Packet.NO_ID, null), decoder.decodeText("0/"));
        // Nothing after the namespace is still an event without arguments.
        assertThrows(PacketParseException.class, () -> decoder.decodeText("2/custom"));
    }

    @Test
    void honoursTheAttachmentLimit() throws PacketParseException {
        PacketDecoder strict = new PacketDecoder(mapper, 1);

        assertThrows(PacketParseException.class, () -> strict.decodeText("52-[\"a\"]"));
        assertNull(strict.decodeText("51-[\"a\"," + PLACEHOLDER_0 + "]"));
        assertNotNull(strict.decodeBinary(BYTES_45));
        assertThrows(IllegalArgumentException.class, () -> new PacketDecoder(mapper, -1));
    }

    @Test
    void resetDropsThePartialPacket() throws PacketParseException {
        assertNull(decoder.decodeText("52-[\"a\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "]"));
        assertNull(decoder.decodeBinary(BYTES_123));

        decoder.reset();

        assertFalse(decoder.awaitingAttachments());
        assertEquals(PacketType.EVENT, decoder.decodeText("2[\"b\"]").type());
    }

    @Test
    void anErrorLeavesTheDecoderReusable() throws PacketParseException {
        assertNull(decoder.decodeText("51-[\"a\"," + PLACEHOLDER_0 + "]"));
        assertThrows(PacketParseException.class, () -> decoder.decodeText("2[\"b\"]"));

        assertFalse(decoder.awaitingAttachments());
        assertEquals(PacketType.EVENT, decoder.decodeText("2[\"b\"]").type());

        assertNull(decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":3}]"));
        assertThrows(PacketParseException.class, () -> decoder.decodeBinary(BYTES_123));
        assertFalse(decoder.awaitingAttachments());
    }

    private Packet decodeAll(String text, byte[]... attachments) throws PacketParseException {
        Packet packet = decoder.decodeText(text);
        for (byte[] attachment : attachments) {
            assertNull(packet, "packet returned before its last attachment");
            packet = decoder.decodeBinary(attachment);
        }
        assertNotNull(packet);
        assertFalse(decoder.awaitingAttachments());
        return packet;
    }

    @Test
    void theAttachmentsOfOnePacketAreBoundedTogether() throws Exception {
        PacketDecoder bounded = new PacketDecoder(PacketDecoder.readerFor(new com.fasterxml.jackson.databind.ObjectMapper()),
                10, 10);
        org.junit.jupiter.api.Assertions.assertNull(bounded.decodeText(
                "53-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},"
                        + "{\"_placeholder\":true,\"num\":2}]"));
        org.junit.jupiter.api.Assertions.assertNull(bounded.decodeBinary(new byte[6]));
        PacketParseException e = org.junit.jupiter.api.Assertions.assertThrows(PacketParseException.class,
                () -> bounded.decodeBinary(new byte[6]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("exceed 10 bytes"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(bounded.awaitingAttachments(), "back in its initial state");
    }
}
