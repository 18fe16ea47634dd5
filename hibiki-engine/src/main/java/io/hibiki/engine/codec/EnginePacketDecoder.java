package io.hibiki.engine.codec;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes inbound Engine.IO packets: single text packets (one WebSocket text frame) and long-polling payloads
 * (packets joined by the record separator, binary ones as {@code b} + base64).
 */
public final class EnginePacketDecoder {

    /** Separates packets inside one long-polling payload. */
    public static final char RECORD_SEPARATOR = '\u001e';

    private EnginePacketDecoder() {
    }

    /**
     * Decodes one text packet: a type digit followed by optional data.
     *
     * @param packet the packet as received, for example one WebSocket text frame
     * @return the packet; its text is empty when nothing followed the type digit
     * @throws EngineParseException if the packet is empty or starts with a character that names no packet type
     */
    public static EnginePacket decodeText(String packet) throws EngineParseException {
        if (packet.isEmpty()) {
            throw new EngineParseException("empty packet");
        }
        EnginePacketType type = EnginePacketType.fromCode(packet.charAt(0));
        if (type == null) {
            throw new EngineParseException("unknown packet type '" + printable(packet.charAt(0)) + "'");
        }
        return EnginePacket.text(type, packet.length() == 1 ? "" : packet.substring(1));
    }

    /**
     * Decodes a long-polling payload.
     *
     * @param payload    the body of a polling POST: packets joined by {@link #RECORD_SEPARATOR}
     * @param maxPackets upper bound on the number of packets, so that a payload of separators cannot make us
     *                   allocate one object per byte without limit
     * @return the packets in payload order, as a read-only list
     * @throws EngineParseException if the payload is empty, holds more than {@code maxPackets} packets, or any
     *                              packet in it is bad; the good packets before it are then lost
     */
    public static List<EnginePacket> decodePayload(String payload, int maxPackets) throws EngineParseException {
        DecodedPayload decoded = decodePayloadUntilError(payload, maxPackets);
        if (decoded.error() != null) {
            throw new EngineParseException(decoded.error());
        }
        return decoded.packets();
    }

    /**
     * Decodes a long-polling payload up to its first bad packet.
     *
     * @param payload    the body of a polling POST: packets joined by {@link #RECORD_SEPARATOR}
     * @param maxPackets as for {@link #decodePayload}; a payload with more counts as bad after that many
     * @return the packets before the first bad one, and the error for that one ({@code null} when there was none)
     */
    public static DecodedPayload decodePayloadUntilError(String payload, int maxPackets) {
        List<EnginePacket> packets = new ArrayList<>(4);
        if (payload.isEmpty()) {
            return new DecodedPayload(packets, "empty payload");
        }
        int start = 0;
        while (true) {
            int end = payload.indexOf(RECORD_SEPARATOR, start);
            String part = end < 0 ? payload.substring(start) : payload.substring(start, end);
            if (packets.size() == maxPackets) {
                return new DecodedPayload(packets, "more than " + maxPackets + " packets in one payload");
            }
            try {
                packets.add(decodeTextOrBase64(part));
            } catch (EngineParseException e) {
                return new DecodedPayload(packets, e.getMessage());
            }
            if (end < 0) {
                return new DecodedPayload(packets, null);
            }
            start = end + 1;
        }
    }

    /**
     * Decodes one packet as a text transport carries it: a text packet, or {@code b} + base64 for a binary message
     * (how polling always sends binary, and WebSocket clients with {@code forceBase64}).
     * Line breaks inside the base64 are ignored.
     *
     * @param part one packet, without record separators
     * @return the decoded packet: a binary message for {@code b} + base64, otherwise a text packet
     * @throws EngineParseException if the base64 is invalid, or the text packet is empty or of an unknown type
     */
    public static EnginePacket decodeTextOrBase64(String part) throws EngineParseException {
        if (!part.isEmpty() && part.charAt(0) == 'b') {
            String base64 = part.substring(1);
            if (base64.indexOf('\n') >= 0 || base64.indexOf('\r') >= 0) {
                // The official Java client wraps its base64 in lines ending with '\n', as MIME does; Node accepts it.
                base64 = base64.replace("\r", "").replace("\n", "");
            }
            try {
                return EnginePacket.binaryMessage(Base64.getDecoder().decode(base64));
            } catch (IllegalArgumentException e) {
                throw new EngineParseException("invalid base64 in binary packet");
            }
        }
        return decodeText(part);
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
