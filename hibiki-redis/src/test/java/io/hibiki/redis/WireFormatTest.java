package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.parser.Packet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the classic and sharded adapters put on the wire, against messages captured from Node (§6). */
class WireFormatTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<Object> BIN_ARGS = List.of("bin", new byte[] {1, 2, 3},
            Map.of("nested", new byte[] {(byte) 0xff}));
    private static final BroadcastOptions ROOM1 = new BroadcastOptions(Set.of("room1"), Set.of(), null);

    @Test
    void classicBroadcastMatchesTheCapturedBytes() {
        Map<String, Object> packet = ClassicWire.packet(Packet.event("/", 7, BIN_ARGS), new ObjectMapper());
        byte[] message = MsgPackWriter.write(List.of("lNhfZi", packet, ClusterWire.opts(ROOM1, true)));
        assertEquals("93a66c4e68665a6983a47479706502a46461746193a362696ec40301020381a66e6573746564c401ffa36e7370"
                + "a12f83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380", HEX.formatHex(message));
        assertEquals(List.of("type", "data", "nsp"), List.copyOf(packet.keySet()), "never an ack id");
    }

    @Test
    void classicFlagsAsNodeWritesThem() {
        BroadcastFlags flags = BroadcastFlags.NONE.withVolatile().withCompress(false).withLocal();
        Map<String, Object> opts = ClusterWire.opts(new BroadcastOptions(Set.of(), Set.of(), flags), true);
        assertEquals(Map.of("volatile", true, "compress", false), opts.get("flags"));
        opts = ClusterWire.opts(new BroadcastOptions(Set.of(), Set.of(),
                BroadcastFlags.NONE.withTimeout(Duration.ofSeconds(1))), true);
        assertEquals("81a774696d656f7574cd03e8", HEX.formatHex(MsgPackWriter.write(opts.get("flags"))));

        BroadcastOptions read = ClusterWire.readOpts(Map.of("rooms", List.of("a", 12L), "except", List.of(3.0),
                "flags", Map.of("volatile", true, "compress", false, "timeout", 1000L)));
        assertEquals(Set.of("a", "12"), read.rooms());
        assertEquals(Set.of("3"), read.except());
        assertTrue(read.flags().volatileEmit());
        assertEquals(Duration.ofSeconds(1), read.flags().timeout());
    }

    @Test
    void classicPacketsFromPeers() {
        assertNull(ClusterWire.readPacket(Map.of("type", 3L, "data", List.of("x")), "/"));
        assertNull(ClusterWire.readPacket(Map.of("type", 2L, "data", List.of()), "/"));
        Packet binary = ClusterWire.readPacket(Map.of("type", 5L, "data", List.of("ev", 1L)), "/chat");
        assertEquals(List.of("ev", 1L), binary.data());
        assertEquals("/chat", binary.namespace());
    }

    @Test
    void shardedBroadcastIsJsonLikeNodes() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("f", 1.5);
        byte[] message = ClusterMessage.encode(ClusterWire.BROADCAST, ClusterWire.data(
                "packet", ClusterWire.packet(Packet.event("/", Packet.NO_ID, List.of("hello", "world", 42, f))),
                "opts", ClusterWire.opts(BroadcastOptions.all(), true)), "e03934ff5b737bb8", "/");
        assertEquals("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"hello\",\"world\",42,{\"f\":1.5}]},"
                + "\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}},\"uid\":\"e03934ff5b737bb8\",\"nsp\":\"/\"}",
                new String(message, StandardCharsets.UTF_8));
        byte[] reply = ClusterMessage.encode(ClusterWire.BROADCAST_CLIENT_COUNT, ClusterWire.data(
                "requestId", "a71615e49611a392", "clientCount", 1), "e67a4105fc696a40", "/");
        assertEquals("{\"type\":11,\"data\":{\"requestId\":\"a71615e49611a392\",\"clientCount\":1},"
                + "\"uid\":\"e67a4105fc696a40\",\"nsp\":\"/\"}", new String(reply, StandardCharsets.UTF_8));
    }

    @Test
    void shardedBroadcastWithBinaryIsMsgPackLikeNodes() {
        byte[] message = ClusterMessage.encode(ClusterWire.BROADCAST, ClusterWire.data(
                "packet", ClusterWire.packet(Packet.event("/", Packet.NO_ID, BIN_ARGS)),
                "opts", ClusterWire.opts(ROOM1, true)), "f02ebe7e4419257d", "/");
        assertEquals(114, message.length);
        assertEquals("84a47479706503a46461746182a67061636b657482a47479706502a46461746193a362696ec40301020381a66e"
                + "6573746564c401ffa46f70747383a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380a3756964b0"
                + "66303265626537653434313932353764a36e7370a12f", HEX.formatHex(message));
    }

    @Test
    void shardedBinaryOnlySwitchesTypesThatMayCarryIt() {
        byte[] join = ClusterMessage.encode(ClusterWire.SOCKETS_JOIN, ClusterWire.data("rooms",
                List.of("a"), "bin", new byte[] {1}), "u", "/");
        assertEquals('{', join[0]);
        byte[] ack = ClusterMessage.encode(ClusterWire.BROADCAST_ACK, ClusterWire.data("requestId", "r",
                "packet", new byte[] {1}), "u", "/");
        assertEquals(0x84, ack[0] & 0xff);
        byte[] noArg = ClusterMessage.encode(ClusterWire.BROADCAST_ACK, ClusterWire.data("requestId", "r",
                "packet", null), "u", "/");
        assertEquals("{\"type\":12,\"data\":{\"requestId\":\"r\"},\"uid\":\"u\",\"nsp\":\"/\"}",
                new String(noArg, StandardCharsets.UTF_8), "an absent ack argument is left out, as undefined");
        assertEquals(16, ClusterWire.randomId().length());
        assertArrayEquals(new byte[] {1}, (byte[]) ((Map<?, ?>) Codec.decodeMap(ack).get("data")).get("packet"));
    }
}
