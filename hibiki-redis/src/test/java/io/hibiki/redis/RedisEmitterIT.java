package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RedisEmitter} against the captured bytes of Node's emitter, a Java node and a Node node. */
class RedisEmitterIT {

    /** What @socket.io/redis-emitter 5.1 published for to("room1").emit("fromEmitter", 1, bin 6869), §6 (c). */
    private static final String CAPTURED = "93a7656d697474657283a47479706502a46461746193ab66726f6d456d6974746572"
            + "01c4026869a36e7370a12f83a5726f6f6d7391a5726f6f6d31a5666c61677380a665786365707490";

    private final Cluster cluster = new Cluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RedisEmitter emitter() {
        return cluster.closeLater(RedisEmitter.create(Cluster.REDIS, cluster.key));
    }

    @Test
    void publishesWhatNodesEmitterPublishes() {
        Map<String, List<byte[]>> seen = new ConcurrentHashMap<>();
        RedisClient raw = RedisClient.create(Cluster.REDIS);
        cluster.closeLater(() -> raw.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS));
        StatefulRedisPubSubConnection<byte[], byte[]> sub = raw.connectPubSub(ByteArrayCodec.INSTANCE);
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                seen.computeIfAbsent(new String(channel, StandardCharsets.UTF_8), k -> new CopyOnWriteArrayList<>())
                        .add(message);
            }
        });
        sub.sync().psubscribe((cluster.key + "*").getBytes(StandardCharsets.UTF_8));

        RedisEmitter emitter = emitter();
        emitter.to("room1").emit("fromEmitter", 1, new byte[] {0x68, 0x69});
        emitter.in("room1").socketsJoin("room9");
        emitter.of("chat").volatileEmit().compress(false).to("a", "b").except("c").emit("ev");
        emitter.disconnectSockets(true);
        emitter.to("ignored").serverSideEmit("hello", 1);

        String broadcast = cluster.key + "#/#room1#";
        String requests = cluster.key + "-request#/#";
        Cluster.waitFor(() -> seen.containsKey(broadcast) && seen.getOrDefault(requests, List.of()).size() == 3
                && seen.containsKey(cluster.key + "#/chat#"), "the emitter's messages");
        // The 74 bytes captured from @socket.io/redis-emitter 5.1 (redis-wire.md §6 (c)).
        assertEquals(CAPTURED, HexFormat.of().formatHex(seen.get(broadcast).get(0)));
        List<String> json = seen.get(requests).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        assertEquals(List.of("{\"type\":2,\"opts\":{\"rooms\":[\"room1\"],\"except\":[]},\"rooms\":[\"room9\"]}",
                "{\"type\":4,\"opts\":{\"rooms\":[],\"except\":[]},\"close\":true}",
                "{\"uid\":\"emitter\",\"type\":6,\"data\":[\"hello\",1]}"), json);
        // Base channel for two rooms; flags in the order they were set.
        String chat = HexFormat.of().formatHex(seen.get(cluster.key + "#/chat#").get(0));
        assertTrue(chat.endsWith("82a8766f6c6174696c65c3a8636f6d7072657373c2a6657863657074" + "91a163"), chat);
        assertTrue(chat.contains("a36e7370a52f63686174"), chat); // nsp "/chat"
    }

    @Test
    void reachesClientsOnJavaAndNodeServers() throws Exception {
        Cluster.Node java = cluster.node("java");
        int nodePort;
        try (ServerSocket s = new ServerSocket(0)) {
            nodePort = s.getLocalPort();
        }
        NodeScript node = cluster.closeLater(NodeScript.start("redis-node-server.mjs", "--port=" + nodePort,
                "--key=" + cluster.key));
        node.await("listening", Cluster.WAIT);
        TestClient javaIn = cluster.client(java, "r1");
        TestClient javaOut = cluster.client(java);
        NodeScript nodeIn = listener(nodePort, "r1");
        NodeScript nodeOut = listener(nodePort, "");

        RedisEmitter emitter = emitter();
        emitter.to("r1").emit("to-r1", "x", new byte[] {1, 2, 3});
        emitter.except("r1").emit("except-r1", Map.of("n", 1));
        emitter.emit("marker");

        TestClient.Event got = javaIn.await("to-r1");
        assertEquals("x", got.args().get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) got.args().get(1));
        JsonNode fromNode = nodeIn.await(e -> e.path("name").asText().equals("to-r1"), Cluster.WAIT);
        assertEquals("[1,2,3]", fromNode.get("args").get(1).get("bytes").toString());
        assertEquals(1, ((JSONObject) javaOut.await("except-r1").args().get(0)).getInt("n"));
        nodeOut.await(e -> e.path("name").asText().equals("except-r1"), Cluster.WAIT);

        // Everyone got the marker, sent last on the same connection: nothing else is still on its way.
        javaIn.await("marker");
        javaOut.await("marker");
        nodeIn.await(e -> e.path("name").asText().equals("marker"), Cluster.WAIT);
        nodeOut.await(e -> e.path("name").asText().equals("marker"), Cluster.WAIT);
        assertEquals(List.of("to-r1", "marker"), javaIn.names());
        assertEquals(List.of("except-r1", "marker"), javaOut.names());
        assertEquals(List.of("to-r1", "marker"), names(nodeIn));
        assertEquals(List.of("except-r1", "marker"), names(nodeOut));
    }

    private NodeScript listener(int port, String rooms) {
        NodeScript c = cluster.closeLater(NodeScript.start("sio-listener.mjs", "--url=http://127.0.0.1:" + port,
                "--rooms=" + rooms, "--answer=n"));
        c.await("ready", Cluster.WAIT);
        return c;
    }

    private static List<String> names(NodeScript script) {
        return script.events().stream().filter(e -> e.path("event").asText().equals("received"))
                .map(e -> e.path("name").asText()).toList();
    }

    @Test
    void joinsLeavesDisconnectsAndTalksToServersOfAJavaNode() {
        Cluster.Node java = cluster.node("java");
        List<String> serverSide = new CopyOnWriteArrayList<>();
        java.io().of("/").onServerSideEmit("news", args -> {
            serverSide.add(args.get(0).asText());
            return null;
        });
        TestClient client = cluster.client(java);
        String id = client.id();
        RedisEmitter emitter = emitter();

        emitter.in(id).socketsJoin("vip", "gold");
        Cluster.waitFor(() -> java.adapter().socketRooms(id).containsAll(List.of("vip", "gold")), "join");
        emitter.to("vip").emit("for-vip");
        client.await("for-vip");

        emitter.in("gold").socketsLeave("vip");
        Cluster.waitFor(() -> !java.adapter().socketRooms(id).contains("vip"), "leave");
        assertTrue(java.adapter().socketRooms(id).contains("gold"));

        emitter.serverSideEmit("news", "fresh");
        Cluster.waitFor(() -> serverSide.contains("fresh"), "server-side emit");

        emitter.except(id).disconnectSockets(true);
        emitter.in("gold").disconnectSockets(false);
        assertEquals("io server disconnect", client.awaitDisconnect());
        assertFalse(client.connected());
    }

    @Test
    void reservedEventNamesThrow() {
        RedisEmitter emitter = emitter();
        for (String name : List.of("connect", "connect_error", "disconnect", "disconnecting", "newListener",
                "removeListener")) {
            assertThrows(IllegalArgumentException.class, () -> emitter.to("r").emit(name), name);
        }
    }
}
