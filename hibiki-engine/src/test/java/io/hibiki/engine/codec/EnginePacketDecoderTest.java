package io.hibiki.engine.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Byte-exact decoding of single text packets and long-polling payloads, and every way they can be malformed. */
class EnginePacketDecoderTest {

    private static final String RS = "\u001e";
    private static final int LIMIT = 100;

    @ParameterizedTest
    @CsvSource({
            "0, OPEN", "1, CLOSE", "2, PING", "3, PONG", "4, MESSAGE", "5, UPGRADE", "6, NOOP"})
    void decodesEveryTypeWithoutData(String wire, EnginePacketType type) throws Exception {
        EnginePacket p = EnginePacketDecoder.decodeText(wire);
        assertEquals(type, p.type());
        assertEquals("", p.text());
        assertFalse(p.isBinary());
        assertEquals(wire.charAt(0), type.code());
    }

    @Test
    void keepsTheDataAfterTheTypeVerbatim() throws Exception {
        assertEquals(EnginePacket.text(EnginePacketType.PING, "probe"), EnginePacketDecoder.decodeText("2probe"));
        assertEquals(EnginePacket.text(EnginePacketType.PONG, "probe"), EnginePacketDecoder.decodeText("3probe"));
        EnginePacket message = EnginePacketDecoder.decodeText("4héllo 🌸\u001e4");
        assertEquals(EnginePacketType.MESSAGE, message.type());
        assertEquals("héllo 🌸\u001e4", message.text(), "a single packet is not split on separators");
    }

    @Test
    void decodesAPayloadOfOnePacket() throws Exception {
        assertEquals(List.of(EnginePacket.text(EnginePacketType.MESSAGE, "hello")),
                EnginePacketDecoder.decodePayload("4hello", LIMIT));
    }

    @Test
    void decodesAPayloadOfSeveralPacketsInOrder() throws Exception {
        List<EnginePacket> packets = EnginePacketDecoder.decodePayload("4hello" + RS + "3" + RS + "4" + RS + "1", LIMIT);
        assertEquals(List.of(
                EnginePacket.text(EnginePacketType.MESSAGE, "hello"),
                EnginePacket.text(EnginePacketType.PONG, ""),
                EnginePacket.text(EnginePacketType.MESSAGE, ""),
                EnginePacket.text(EnginePacketType.CLOSE, "")), packets);
    }

    @Test
    void decodesBase64BinaryPacketsBetweenTextOnes() throws Exception {
        List<EnginePacket> packets = EnginePacketDecoder.decodePayload(
                "4a" + RS + "bAQID" + RS + "b/w==" + RS + "b" + RS + "4b", LIMIT);
        assertEquals(5, packets.size());
        assertEquals("a", packets.get(0).text());
        assertBinary(new byte[] {1, 2, 3}, packets.get(1));
        assertBinary(new byte[] {(byte) 0xff}, packets.get(2));
        assertBinary(new byte[0], packets.get(3));
        assertEquals("b", packets.get(4).text());
    }

    @Test
    void acceptsExactlyTheLimit() throws Exception {
        assertEquals(3, EnginePacketDecoder.decodePayload("4a" + RS + "4b" + RS + "4c", 3).size());
    }

    @Test
    void refusesAnEmptyPacket() {
        assertParseError(() -> EnginePacketDecoder.decodeText(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9", "7", "x", "/", "\u0000", "b", "bAQID", "{\"a\":1}"})
    void refusesAnUnknownTypeInASinglePacket(String wire) {
        // A single (WebSocket) text packet has no binary form, so 'b' is an unknown type there.
        assertParseError(() -> EnginePacketDecoder.decodeText(wire));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9", "9x", "x", "4a" + RS + "x", "7" + RS + "4a"})
    void refusesAnUnknownTypeInAPayload(String payload) {
        assertParseError(() -> EnginePacketDecoder.decodePayload(payload, LIMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"b!!!", "bxyz!", "bAQID" + RS + "b@@", "bA=Q", "b====", "bAQ ID"})
    void refusesBrokenBase64(String payload) {
        assertParseError(() -> EnginePacketDecoder.decodePayload(payload, LIMIT));
    }

    @Test
    void refusesAnEmptyPayload() {
        assertParseError(() -> EnginePacketDecoder.decodePayload("", LIMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4a" + RS + RS + "4b", RS + "4a", "4a" + RS, RS, RS + RS})
    void refusesAnEmptyPartBetweenSeparators(String payload) {
        assertParseError(() -> EnginePacketDecoder.decodePayload(payload, LIMIT));
    }

    @Test
    void refusesMorePacketsThanTheLimit() {
        EngineParseException e = assertParseError(
                () -> EnginePacketDecoder.decodePayload("4a" + RS + "4b" + RS + "4c", 2));
        assertTrue(e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void refusesAFloodOfValidPacketsOverTheLimit() {
        String flood = ("6" + RS).repeat(100_000) + "6";
        assertParseError(() -> EnginePacketDecoder.decodePayload(flood, LIMIT));
    }

    @Test
    void typeTableIsClosed() {
        assertNull(EnginePacketType.fromCode('7'));
        assertNull(EnginePacketType.fromCode('/'));
        for (EnginePacketType t : EnginePacketType.values()) {
            assertEquals(t, EnginePacketType.fromCode(t.code()));
        }
    }

    private static void assertBinary(byte[] expected, EnginePacket p) {
        assertEquals(EnginePacketType.MESSAGE, p.type());
        assertTrue(p.isBinary());
        assertNull(p.text());
        assertArrayEquals(expected, p.binary());
    }

    private static EngineParseException assertParseError(Executable call) {
        return assertThrows(EngineParseException.class, call);
    }
}
