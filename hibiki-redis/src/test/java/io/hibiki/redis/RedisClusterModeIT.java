package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.redis.ShardedRedisAdapterOptions.SubscriptionMode;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.PrivateRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classic and sharded adapters on a real Redis Cluster (three primaries of the test's own), Java nodes
 * beside a Node node whose adapter uses node-redis's {@code createCluster}: the setup Node's redis-adapter
 * documents for a cluster.
 */
class RedisClusterModeIT {

    private static PrivateRedisCluster redis;
    private final Cluster cluster = new Cluster();
    private NodeScript node;
    private int nodePort;

    @BeforeAll
    static void startRedisCluster() throws Exception {
        redis = PrivateRedisCluster.start();
    }

    @AfterAll
    static void stopRedisCluster() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Cluster.Node classicNode(String name) {
        String clientName = "hibiki-it-" + ClassicWire.randomId();
        return cluster.node(name, RedisAdapterOptions.of(redis.uri()).withKey(cluster.key)
                .withRequestsTimeout(Duration.ofSeconds(3)).withClientName(clientName));
    }

    private Cluster.Node shardedNode(String name) {
        String clientName = "hibiki-it-" + ClassicWire.randomId();
        return cluster.node(name, ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.of(redis.uri())
                .withChannelPrefix(cluster.key).withSubscriptionMode(SubscriptionMode.DYNAMIC)
                .withRequestsTimeout(Duration.ofSeconds(3)).withClientName(clientName)), clientName);
    }

    private void startNode(String adapter) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            nodePort = s.getLocalPort();
        }
        node = cluster.closeLater(NodeScript.start("redis-node-server.mjs", "--port=" + nodePort,
                "--key=" + cluster.key, "--adapter=" + adapter, "--mode=dynamic",
                "--cluster=" + String.join(",", redis.nodeAddresses())));
        node.await("listening", Cluster.WAIT);
    }

    private NodeScript nodeClient(String rooms) {
        NodeScript c = cluster.closeLater(NodeScript.start("sio-listener.mjs", "--url=http://127.0.0.1:" + nodePort,
                "--rooms=" + rooms, "--answer=n"));
        c.await("ready", Cluster.WAIT);
        return c;
    }

    @Test
    void theClassicAdapterSpansJavaAndNodeOnACluster() throws Exception {
        Cluster.Node java = classicNode("java");
        Cluster.Node java2 = classicNode("java2");
        startNode("classic");
        // Subscriptions may sit on different primaries; each counts only its own, so the count is a sum.
        cluster.awaitServers(java, 3);
        node.send("{\"cmd\":\"count\"}");
        assertEquals(3, node.await("count", Cluster.WAIT).get("count").asInt());

        TestClient onJava = cluster.client(java, "r1");
        TestClient onJava2 = cluster.client(java2, "r1");
        NodeScript onNode = nodeClient("r1");
        String nodeId = onNode.await("ready", Cluster.WAIT).get("id").asText();

        java.io().to("r1").emit("from-java", "hi");
        onJava2.await("from-java");
        onNode.await(e -> e.path("name").asText().equals("from-java"), Cluster.WAIT);
        node.send("{\"cmd\":\"broadcast\",\"room\":\"r1\",\"event\":\"from-node\",\"args\":[1]}");
        onJava.await("from-node");
        onJava2.await("from-node");

        RedisEmitter emitter = cluster.closeLater(RedisEmitter.create(redis.uri(), cluster.key));
        emitter.to("r1").emit("from-emitter", "e");
        onJava.await("from-emitter");
        onNode.await(e -> e.path("name").asText().equals("from-emitter"), Cluster.WAIT);

        List<RemoteSocket> sockets = java.io().in("r1").fetchSockets().get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(onJava.id(), onJava2.id(), nodeId),
                sockets.stream().map(RemoteSocket::id).collect(Collectors.toSet()));

        java2.io().of("/").onServerSideEmit("java-says", args -> List.of("java2-ack:" + args.get(0).asText()));
        List<Object> acks = java.io().serverSideEmitWithAck("java-says", "hello").get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("node-ack:hello", "java2-ack:hello"),
                acks.stream().map(a -> ((JsonNode) a).asText()).collect(Collectors.toSet()));

        List<Object> replies = java.io().to("r1").timeout(Duration.ofSeconds(5)).emitWithAck("ask", "q")
                .get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("java:q", "java2:q", "n:q"),
                replies.stream().map(r -> ((JsonNode) r).asText()).collect(Collectors.toSet()));
    }

    @Test
    void theShardedAdapterSubscribesEachRoomOnTheNodeOwningItsSlot() throws Exception {
        Cluster.Node java = shardedNode("java");
        startNode("sharded");
        cluster.awaitServers(java, 2);

        // Rooms whose shard channels hash to slots on different primaries (dynamic mode: one channel per room).
        List<String> rooms = List.of("a", "b", "c", "d", "e", "f");
        Set<Integer> owners = new HashSet<>();
        for (String room : rooms) {
            owners.add(ownerPort(cluster.key + "#/#" + room + "#"));
        }
        assertTrue(owners.size() >= 2, "the rooms' channels should span primaries: " + owners);

        String joined = String.join(",", rooms);
        TestClient onJava = cluster.client(java, rooms.toArray(String[]::new));
        NodeScript onNode = nodeClient(joined);
        for (String room : rooms) {
            String event = "to-" + room;
            ShardedMixedClusterIT.sendUntilReceived(onNode, event, () -> java.io().to(room).emit(event, room));
            ShardedMixedClusterIT.sendUntilReceived(onJava, "back-" + room, () -> node.send(
                    "{\"cmd\":\"broadcast\",\"room\":\"" + room + "\",\"event\":\"back-" + room + "\",\"args\":[]}"));
        }
        List<RemoteSocket> sockets = java.io().in("c").fetchSockets().get(10, TimeUnit.SECONDS);
        assertEquals(2, sockets.size(), sockets.toString());
    }

    /** The port of the primary serving a channel's slot. */
    private static int ownerPort(String channel) throws Exception {
        return redis.ownerOfSlot(SlotHash.getSlot(channel.getBytes(StandardCharsets.UTF_8)));
    }
}
