package io.hibiki.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The msgpack parser against bytes Node wrote: each fixture is what socket.io-msgpack-parser 3.0.2's encoder (with
 * its notepack.io 2.2) gives for the packet object a Node 4.8 server builds for the same emit, printed in hex by
 * {@code new (require("socket.io-msgpack-parser").Encoder)().encode(packet)}; the client fixture is the packet
 * socket.io-client 4.8 builds for {@code socket.emit("x", undefined, new Date(0), ack)}.
 */
class MsgPackPacketCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final MsgPackPacketEncoder encoder = new MsgPackPacketEncoder(MAPPER);

    private String encode(Packet p) {
        EncodedPacket e = encoder.encode(p);
        assertNull(e.text(), "a msgpack packet has no text part");
        assertEquals(1, e.attachments().size());
        return HEX.formatHex(e.attachments().get(0));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void encodesWhatNodeSendsByteForByte() {
        // socket.emit("hello", 1, 1.5, true, null, {a: "b"})
        assertEquals("83a47479706502a46461746196a568656c6c6f01cb3ff8000000000000c3c081a161a162a36e7370a12f",
                encode(Packet.event("/", Packet.NO_ID, Arrays.asList("hello", 1, 1.5, true, null, Map.of("a", "b")))));
        // socket.emit("q", ack) on /chat: the id before nsp
        assertEquals("84a47479706502a46461746191a171a2696407a36e7370a52f63686174",
                encode(Packet.event("/chat", 7, List.of("q"))));
        // an ack with a Buffer: id first, binary inline
        assertEquals("84a2696407a47479706503a46461746192a26f6bc403010203a36e7370a12f",
                encode(Packet.ack("/", 7, List.of("ok", new byte[] {1, 2, 3}))));
        // CONNECT without recovery: pid is there, undefined
        assertEquals("83a47479706500a46461746182a3736964a3616263a3706964d40000a36e7370a12f",
                encode(Packet.connect("/", map("sid", "abc"))));
        assertEquals("83a47479706500a46461746182a3736964a3616263a3706964a27031a36e7370a12f",
                encode(Packet.connect("/", map("sid", "abc", "pid", "p1"))));
        // a middleware's error with data, and an unknown namespace (Node orders that one differently)
        assertEquals("83a47479706504a46461746182a76d657373616765ab6e6f7420616c6c6f776564a46461746181a4636f64652a"
                + "a36e7370a12f", encode(Packet.connectError("/", map("message", "not allowed", "data",
                Map.of("code", 42)))));
        assertEquals("83a47479706504a46461746182a76d657373616765a46e6f7065a464617461d40000a36e7370a12f",
                encode(Packet.connectError("/", map("message", "nope"))));
        assertEquals("83a47479706504a36e7370a52f6e6f7065a46461746181a76d657373616765b1496e76616c6964206e616d65737061"
                + "6365", encode(Packet.connectError("/nope", map("message", "Invalid namespace"))));
        assertEquals("82a47479706501a36e7370a62f61646d696e", encode(Packet.disconnect("/admin")));
        // JSON null stays nil, in arrays and maps
        assertEquals("83a47479706502a46461746193a16ec081a16bc0a36e7370a12f",
                encode(Packet.event("/", Packet.NO_ID, Arrays.asList("n", null, map("k", null)))));
    }

    @Test
    void applicationObjectsGoThroughTheMapper() throws Exception {
        record Point(int x, int y) {
        }
        byte[] frame = encoder.encode(Packet.event("/", Packet.NO_ID, List.of("p", new Point(1, 2))))
                .attachments().get(0);
        Packet back = new MsgPackPacketDecoder().decodeBinary(frame);
        assertEquals("{\"x\":1,\"y\":2}", ((JsonNode) back.data()).get(1).toString());
    }

    @Test
    void decodesWhatTheJsClientSends() throws Exception {
        // {type: 2, data: ["x", undefined, new Date(0)], options: {compress: true}, nsp: "/", id: 3}
        Packet p = new MsgPackPacketDecoder().decodeBinary(HEX.parseHex(
                "85a47479706502a46461746193a178d40000d7000000000000000000a76f7074696f6e7381a8636f6d7072657373c3"
                        + "a36e7370a12fa2696403"));
        assertEquals(PacketType.EVENT, p.type());
        assertEquals("/", p.namespace());
        assertEquals(3, p.id());
        JsonNode data = (JsonNode) p.data();
        assertEquals("x", data.get(0).asText());
        assertTrue(data.get(1).isNull(), "undefined in an array is null");
        assertEquals("1970-01-01T00:00:00.000Z", data.get(2).asText(), "a Date as Date.toJSON() writes it");
        // Binary inline, back as a BinaryNode; a CONNECT with undefined data is a CONNECT without data.
        Packet ack = new MsgPackPacketDecoder().decodeBinary(
                HEX.parseHex("84a2696407a47479706503a46461746192a26f6bc403010203a36e7370a12f"));
        assertArrayEquals(new byte[] {1, 2, 3}, ((JsonNode) ack.data()).get(1).binaryValue());
        Packet connect = new MsgPackPacketDecoder()
                .decodeBinary(HEX.parseHex("83a47479706500a464617461d40000a36e7370a12f"));
        assertEquals(PacketType.CONNECT, connect.type());
        assertNull(connect.data());
    }

    @Test
    void refusesWhatNodesDecoderRefusesAndReservedNames() {
        MsgPackPacketDecoder d = new MsgPackPacketDecoder();
        String[] bad = {
            "82a47479706505a36e7370a12f", // type 5 (binary types do not exist here)
            "82a474797065ffa36e7370a12f", // type -1
            "82a474797065cb3ff8000000000000a36e7370a12f", // type 1.5
            "81a47479706502", // no nsp
            "82a47479706502a36e737001", // nsp not a string
            "83a47479706502a46461746181a161a162a36e7370a12f", // event data not an array
            "83a47479706502a46461746190a36e7370a12f", // empty event
            "83a47479706502a46461746191aa646973636f6e6e656374a36e7370a12f", // ["disconnect"]: reserved
            "84a47479706502a46461746191a171a26964a178a36e7370a12f", // id not a number
            "84a47479706502a46461746191a171a26964cb3ff8000000000000a36e7370a12f", // id 1.5
            "93010203", // not a map
            "c1", // never used
            "",
        };
        for (String hex : bad) {
            assertThrows(PacketParseException.class, () -> d.decodeBinary(HEX.parseHex(hex)), hex);
        }
        assertThrows(PacketParseException.class, () -> d.decodeText("2[\"x\"]"), "text is never msgpack");
    }

    @Test
    void randomBytesNeverThrowAnythingButAParseError() {
        Random random = new Random(4242);
        byte[] seed = encoder.encode(Packet.event("/chat", 9,
                List.of("e", Map.of("k", List.of(1, "two", new byte[8]))))).attachments().get(0);
        MsgPackPacketDecoder d = new MsgPackPacketDecoder();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(seed, random.nextInt(4) == 0 ? random.nextInt(seed.length + 1) : seed.length);
            for (int n = random.nextInt(3) + 1; n > 0 && b.length > 0; n--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                d.decodeBinary(b);
            } catch (PacketParseException expected) {
                // the only failure allowed
            } catch (RuntimeException e) {
                throw new AssertionError("input " + HEX.formatHex(b) + " threw " + e, e);
            }
        }
    }
}
