package io.hibiki.socketio.parser;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketTypeTest {

    @Test
    void codesMatchTheProtocol() throws PacketParseException {
        int[] expected = {0, 1, 2, 3, 4, 5, 6};
        PacketType[] types = {PacketType.CONNECT, PacketType.DISCONNECT, PacketType.EVENT, PacketType.ACK,
                PacketType.CONNECT_ERROR, PacketType.BINARY_EVENT, PacketType.BINARY_ACK};
        for (int i = 0; i < types.length; i++) {
            assertEquals(expected[i], types[i].code());
            assertEquals(types[i], PacketType.fromCode(expected[i]));
        }
    }

    @Test
    void unknownCodesAreParseErrors() {
        assertThrows(PacketParseException.class, () -> PacketType.fromCode(7));
        assertThrows(PacketParseException.class, () -> PacketType.fromCode(-1));
    }

    @Test
    void onlyBinaryTypesAreBinary() {
        assertTrue(PacketType.BINARY_EVENT.isBinary());
        assertTrue(PacketType.BINARY_ACK.isBinary());
        assertFalse(PacketType.EVENT.isBinary());
        assertFalse(PacketType.CONNECT.isBinary());
    }

    @Test
    void packetRejectsNamespacesTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> Packet.disconnect("admin"));
        assertThrows(IllegalArgumentException.class, () -> Packet.disconnect("/a,b"));
        assertThrows(IllegalArgumentException.class, () -> Packet.event("/", -2, java.util.List.of("x")));
        assertThrows(NullPointerException.class, () -> Packet.disconnect(null));
    }
}
