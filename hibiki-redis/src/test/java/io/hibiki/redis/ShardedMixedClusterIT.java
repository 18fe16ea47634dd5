package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.redis.ShardedRedisAdapterOptions.SubscriptionMode;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.testsupport.NodeScript;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Java nodes with {@link ShardedRedisAdapter} and a Node node with {@code createShardedAdapter} (redis-adapter
 * 8.3, socket.io 4.8) in one cluster on real Redis 7 (SPUBLISH/SSUBSCRIBE).
 */
class ShardedMixedClusterIT {

    private final Cluster cluster = new Cluster();
    private NodeScript node;
    private int nodePort;

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Starts the Node node (subscription mode {@code nodeMode}) and waits for {@code servers} in all. */
    private void startNode(String nodeMode, Cluster.Node java, int servers) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            nodePort = s.getLocalPort();
        }
        node = cluster.closeLater(NodeScript.start("redis-node-server.mjs", "--port=" + nodePort,
                "--key=" + cluster.key, "--adapter=sharded", "--mode=" + nodeMode));
        node.await("listening", Cluster.WAIT);
        cluster.awaitServers(java, servers);
        node.send("{\"cmd\":\"count\"}");
        assertEquals(servers, node.await("count", Cluster.WAIT).get("count").asInt());
    }

    private NodeScript nodeClient(String rooms) {
        NodeScript c = cluster.closeLater(NodeScript.start("sio-listener.mjs", "--url=http://127.0.0.1:" + nodePort,
                "--rooms=" + rooms, "--answer=n"));
        c.await("ready", Cluster.WAIT);
        return c;
    }

    /**
     * Sends until the Java client gets the event: a room's shard channel is subscribed when its first local member
     * joins, and what is published on it before Redis confirms the subscription is missed (Node alike).
     */
    static TestClient.Event sendUntilReceived(TestClient client, String event, Runnable send) {
        Cluster.waitFor(() -> {
            send.run();
            return client.find(event).isPresent();
        }, event + " at " + client.id());
        return client.find(event).orElseThrow();
    }

    /** The same for a Node client. */
    static JsonNode sendUntilReceived(NodeScript client, String event, Runnable send) {
        Cluster.waitFor(() -> {
            send.run();
            return client.events().stream().anyMatch(e -> e.path("name").asText().equals(event));
        }, event + " at a Node client");
        return client.await(e -> e.path("name").asText().equals(event), Cluster.WAIT);
    }

    /**
     * Each subscription mode, the same on both sides (a cluster must agree on it: a Node node hears room channels
     * only in the dynamic modes): room broadcasts both ways, with binary, and to a socket id.
     */
    @ParameterizedTest
    @EnumSource(SubscriptionMode.class)
    void broadcastsFlowBothWays(SubscriptionMode mode) throws Exception {
        Cluster.Node java = cluster.shardedNode("java", mode);
        startNode(mode.name().toLowerCase().replace('_', '-'), java, 2);
        TestClient onJava = cluster.client(java, "r1");
        TestClient javaOutsider = cluster.client(java);
        NodeScript onNode = nodeClient("r1");

        JsonNode got = sendUntilReceived(onNode, "from-java",
                () -> java.io().to("r1").emit("from-java", "hi", new byte[] {1, 2, 3}));
        assertEquals("[1,2,3]", got.get("args").get(1).get("bytes").toString());
        onJava.await("from-java");

        TestClient.Event fromNode = sendUntilReceived(onJava, "from-node", () -> node.send(
                "{\"cmd\":\"broadcast\",\"room\":\"r1\",\"event\":\"from-node\",\"args\":[{\"n\":42}]}"));
        assertEquals(42, ((org.json.JSONObject) fromNode.args().get(0)).getInt("n"));
        assertArrayEquals(new byte[] {7, 8, 9}, (byte[]) fromNode.args().get(1));

        // To a socket id (a private room): the main channel in dynamic mode, the room's own in dynamic-private.
        String nodeId = onNode.await("ready", Cluster.WAIT).get("id").asText();
        sendUntilReceived(onNode, "direct", () -> java.io().to(nodeId).emit("direct", "d"));
        java.io().emit("marker");
        javaOutsider.await("marker");
        assertEquals(List.of("marker"), javaOutsider.names());
    }

    /** A Node node in dynamic-private mode publishes socket-id broadcasts on the socket's own channel. */
    @Test
    void javaHearsADynamicPrivatePublisher() throws Exception {
        Cluster.Node java = cluster.shardedNode("java", SubscriptionMode.DYNAMIC);
        startNode("dynamic-private", java, 2);
        TestClient onJava = cluster.client(java);
        TestClient.Event got = sendUntilReceived(onJava, "private", () -> node.send(
                "{\"cmd\":\"broadcast\",\"room\":\"" + onJava.id() + "\",\"event\":\"private\",\"args\":[1]}"));
        assertEquals(1, got.args().get(0));
    }

    @Test
    void fetchSocketsServerSideEmitAndAcksAcrossJavaAndNode() throws Exception {
        Cluster.Node java = cluster.shardedNode("java", SubscriptionMode.DYNAMIC);
        Cluster.Node java2 = cluster.shardedNode("java2", SubscriptionMode.STATIC);
        startNode("dynamic", java, 3);
        TestClient onJava = cluster.client(java, "shared");
        TestClient onJava2 = cluster.client(java2, "shared");
        NodeScript onNode = nodeClient("shared");
        String nodeId = onNode.await("ready", Cluster.WAIT).get("id").asText();

        List<RemoteSocket> sockets = java.io().in("shared").fetchSockets().get(10, TimeUnit.SECONDS);
        Map<String, RemoteSocket> byId = sockets.stream().collect(Collectors.toMap(RemoteSocket::id, s -> s));
        assertEquals(Set.of(onJava.id(), onJava2.id(), nodeId), byId.keySet());
        assertEquals("node", ((Map<?, ?>) byId.get(nodeId).data()).get("origin"));
        assertEquals(Set.of(onJava2.id(), "shared"), byId.get(onJava2.id()).rooms());

        node.send("{\"cmd\":\"fetch\",\"room\":\"shared\"}");
        Set<String> seen = new HashSet<>();
        node.await("fetched", Cluster.WAIT).get("sockets").forEach(s -> seen.add(s.get("id").asText()));
        assertEquals(Set.of(onJava.id(), onJava2.id(), nodeId), seen);

        // A node without a listener stays silent (as a Node server does), so java2 gets one to be counted.
        java2.io().of("/").onServerSideEmit("java-says", args -> List.of("java2-ack:" + args.get(0).asText()));
        java.io().of("/").onServerSideEmit("node-says", args -> List.of("java-ack:" + args.get(0).asText()));
        java2.io().of("/").onServerSideEmit("node-says", args -> List.of("java2-ack:" + args.get(0).asText()));
        List<Object> acks = java.io().serverSideEmitWithAck("java-says", "hello").get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("node-ack:hello", "java2-ack:hello"), acks.stream().map(a -> ((JsonNode) a).asText())
                .collect(Collectors.toSet()));
        node.send("{\"cmd\":\"serverSideEmitWithAck\",\"text\":\"yo\"}");
        Set<String> nodeAcks = new HashSet<>();
        node.await("server-side-acks", Cluster.WAIT).get("replies").forEach(r -> nodeAcks.add(r.asText()));
        assertEquals(Set.of("java-ack:yo", "java2-ack:yo"), nodeAcks);

        List<Object> replies = java.io().to("shared").timeout(Duration.ofSeconds(5)).emitWithAck("ask", "q")
                .get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("java:q", "java2:q", "n:q"), replies.stream().map(r -> ((JsonNode) r).asText())
                .collect(Collectors.toSet()));
        node.send("{\"cmd\":\"emitWithAck\",\"room\":\"shared\"}");
        Set<String> fromNode = new HashSet<>();
        node.await("acks", Cluster.WAIT).get("replies").forEach(r -> fromNode.add(r.asText()));
        assertEquals(Set.of("java:from-node", "java2:from-node", "n:from-node"), fromNode);
    }

    @Test
    void membershipFromNodeAndFromJava() throws Exception {
        Cluster.Node java = cluster.shardedNode("java", SubscriptionMode.DYNAMIC);
        startNode("dynamic", java, 2);
        TestClient onJava = cluster.client(java);
        NodeScript onNode = nodeClient("");
        String nodeId = onNode.await("ready", Cluster.WAIT).get("id").asText();

        node.send("{\"cmd\":\"socketsJoin\",\"room\":\"" + onJava.id() + "\",\"target\":\"by-node\"}");
        Cluster.waitFor(() -> java.io().of("/").adapter().socketRooms(onJava.id()).contains("by-node"), "join");
        // The Java node now listens on the new room's channel: Node's dynamic publisher reaches it there.
        sendUntilReceived(onJava, "in-room", () -> node.send(
                "{\"cmd\":\"broadcast\",\"room\":\"by-node\",\"event\":\"in-room\",\"args\":[]}"));

        java.io().in(nodeId).socketsJoin("by-java");
        Cluster.waitFor(() -> java.io().in("by-java").fetchSockets().get(10, TimeUnit.SECONDS).stream()
                .anyMatch(s -> s.id().equals(nodeId)), "the Node socket joined by-java");
        java.io().in(nodeId).disconnectSockets(true);
        assertTrue(onNode.await("disconnect", Cluster.WAIT).get("reason").asText().contains("disconnect"));
    }
}
