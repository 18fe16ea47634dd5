package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hibiki.socketio.parser.PacketFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.hibiki.socketio.parser.PacketFixtures.BYTES_123;
import static io.hibiki.socketio.parser.PacketFixtures.BYTES_45;
import static io.hibiki.socketio.parser.PacketFixtures.ordered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PacketEncoderTest {
    private static final String PLACEHOLDER_0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String PLACEHOLDER_1 = "{\"_placeholder\":true,\"num\":1}";
    private static final String PLACEHOLDER_2 = "{\"_placeholder\":true,\"num\":2}";

    private final PacketEncoder encoder = new PacketEncoder(new ObjectMapper());

    static Stream<Fixture> fixtures() {
        return PacketFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void encodesFixtureByteForByte(Fixture fixture) {
        EncodedPacket encoded = encoder.encode(fixture.packet());

        assertEquals(fixture.text(), encoded.text());
        assertAttachments(fixture.attachments(), encoded);
    }

    @Test
    void sharesWholeByteArraysInsteadOfCopying() {
        EncodedPacket encoded = encoder.encode(Packet.event("/", -1, List.of("upload", BYTES_123)));

        assertSame(BYTES_123, encoded.attachments().get(0));
    }

    @Test
    void numbersAttachmentsInDocumentOrder() {
        byte[] a = {10};
        byte[] b = {11};
        byte[] c = {12};
        Object args = List.of("e", ordered("x", List.of(a, ordered("y", b, "z", 1)), "w", "s"), c);

        EncodedPacket encoded = encoder.encode(Packet.event("/", -1, (List<?>) args));

        assertEquals("53-[\"e\",{\"x\":[" + PLACEHOLDER_0 + ",{\"y\":" + PLACEHOLDER_1 + ",\"z\":1}],\"w\":\"s\"},"
                + PLACEHOLDER_2 + "]", encoded.text());
        assertAttachments(List.of(a, b, c), encoded);
    }

    record Upload(String name, byte[] content) {
    }

    @Test
    void findsBinaryInRecordsAndObjectArrays() {
        Object[] array = {BYTES_45, "tail"};
        EncodedPacket encoded = encoder.encode(
                Packet.ack("/", 4, List.of(new Upload("a.bin", BYTES_123), array)));

        assertEquals("62-4[{\"name\":\"a.bin\",\"content\":" + PLACEHOLDER_0 + "},[" + PLACEHOLDER_1
                + ",\"tail\"]]", encoded.text());
        assertAttachments(List.of(BYTES_123, BYTES_45), encoded);
    }

    @Test
    void sendsByteBufferRemainingBytesWithoutMovingThem() {
        ByteBuffer heapSlice = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 9}, 1, 3);
        ByteBuffer direct = ByteBuffer.allocateDirect(2).put(BYTES_45).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(BYTES_123).asReadOnlyBuffer();

        EncodedPacket encoded = encoder.encode(Packet.event("/", -1, List.of("b", heapSlice, direct, readOnly)));

        assertEquals("53-[\"b\"," + PLACEHOLDER_0 + "," + PLACEHOLDER_1 + "," + PLACEHOLDER_2 + "]", encoded.text());
        assertAttachments(List.of(BYTES_123, BYTES_45, BYTES_123), encoded);
        assertEquals(1, heapSlice.position());
        assertEquals(0, direct.position());
        assertEquals(0, readOnly.position());
    }

    @Test
    void findsBinaryNodesInJsonTrees() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode file = nodes.objectNode().put("name", "a").set("content", nodes.binaryNode(BYTES_123));
        ArrayNode tree = nodes.arrayNode().add("upload").add(file).add(BinaryNode.valueOf(BYTES_45));

        EncodedPacket fromTree = encoder.encode(new Packet(PacketType.EVENT, "/", -1, tree));
        EncodedPacket treeInList = encoder.encode(Packet.event("/", -1, List.of("upload", file)));

        assertEquals("52-[\"upload\",{\"name\":\"a\",\"content\":" + PLACEHOLDER_0 + "}," + PLACEHOLDER_1 + "]",
                fromTree.text());
        assertAttachments(List.of(BYTES_123, BYTES_45), fromTree);
        assertEquals("51-[\"upload\",{\"name\":\"a\",\"content\":" + PLACEHOLDER_0 + "}]", treeInList.text());
        assertAttachments(List.of(BYTES_123), treeInList);
    }

    @Test
    void binaryTypesWithoutBinaryAreSentAsPlainTypes() {
        assertEquals("2[\"a\"]", encoder.encode(new Packet(PacketType.BINARY_EVENT, "/", -1, List.of("a"))).text());
        assertEquals("3/x,1[]", encoder.encode(new Packet(PacketType.BINARY_ACK, "/x", 1, List.of())).text());
    }

    @Test
    void explicitBinaryTypesKeepTheirAttachments() {
        EncodedPacket encoded = encoder.encode(new Packet(PacketType.BINARY_ACK, "/", 7, List.of(BYTES_45)));

        assertEquals("61-7[" + PLACEHOLDER_0 + "]", encoded.text());
        assertAttachments(List.of(BYTES_45), encoded);
    }

    @Test
    void rejectsBinaryOutsideEventsAndAcks() {
        assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(Packet.connect("/", Map.of("key", BYTES_123))));
        assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(Packet.connectError("/", Map.of("data", BYTES_123))));
    }

    @Test
    void rejectsDataJacksonCannotSerialise() {
        assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(Packet.event("/", -1, List.of("x", new Object()))));
    }

    @Test
    void isSafeToShareAcrossThreads() {
        Packet packet = Packet.event("/admin", 1, List.of("upload", ordered("a", BYTES_123, "b", BYTES_45)));
        String expected = encoder.encode(packet).text();

        List<EncodedPacket> results = IntStream.range(0, 2_000).parallel()
                .mapToObj(i -> encoder.encode(packet)).toList();

        for (EncodedPacket result : results) {
            assertEquals(expected, result.text());
            assertAttachments(List.of(BYTES_123, BYTES_45), result);
        }
    }

    static void assertAttachments(List<byte[]> expected, EncodedPacket actual) {
        assertEquals(expected.size(), actual.attachments().size(), "attachment count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.attachments().get(i), "attachment " + i);
        }
    }
}
