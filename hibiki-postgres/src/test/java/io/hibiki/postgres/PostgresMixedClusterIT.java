package io.hibiki.postgres;

import static io.hibiki.postgres.PgCluster.WAIT;
import static io.hibiki.postgres.PgCluster.awaitServers;
import static io.hibiki.postgres.PgCluster.id;
import static io.hibiki.postgres.PgCluster.port;
import static io.hibiki.postgres.PgCluster.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.testsupport.NodeScript;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Java nodes with {@link PostgresAdapter} and a Node node with {@code @socket.io/postgres-adapter} 0.5
 * (socket.io 4.8, pg 8) in one cluster on the machine's PostgreSQL: broadcasts both ways in every form the wire
 * has (JSON in the NOTIFY, binary and long messages as attachments), requests with answers from every node,
 * membership, and nodes leaving.
 */
class PostgresMixedClusterIT {

    private final PgCluster cluster = new PgCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void broadcastsInEveryWireFormFlowBothWays() throws Exception {
        PgCluster.Node java = cluster.javaNode("java");
        NodeScript node = cluster.nodeNode();
        awaitServers(2, List.of(java), List.of(node));
        NodeScript onJava = cluster.client(java.port(), "java", "r1");
        NodeScript outsider = cluster.client(java.port(), "java");
        NodeScript onNode = cluster.client(port(node), "n", "r1");

        // JSON in the notification itself.
        java.io().to("r1").emit("small-java", Map.of("k", 1));
        assertEquals(1, received(onNode, "small-java").get("args").get(0).get("k").asInt());
        node.send("{\"cmd\":\"broadcast\",\"room\":\"r1\",\"event\":\"small-node\",\"args\":[\"s\"],\"binary\":false}");
        assertEquals("[\"s\"]", received(onJava, "small-node").get("args").toString());

        // Binary: an attachment, MessagePack.
        java.io().to("r1").emit("bin-java", "hi", new byte[] {1, 2, 3});
        JsonNode bin = received(onNode, "bin-java").get("args");
        assertEquals("hi", bin.get(0).asText());
        assertEquals("[1,2,3]", bin.get(1).get("bytes").toString());
        node.send("{\"cmd\":\"broadcast\",\"room\":\"r1\",\"event\":\"bin-node\",\"args\":[{\"n\":42}]}");
        JsonNode fromNode = received(onJava, "bin-node").get("args");
        assertEquals(42, fromNode.get(0).get("n").asInt());
        assertEquals("[7,8,9]", fromNode.get(1).get("bytes").toString());

        // Longer than NOTIFY's 8000 bytes: an attachment too.
        String big = "x".repeat(9000);
        java.io().to("r1").emit("big-java", big);
        assertEquals(9000, received(onNode, "big-java").get("args").get(0).asText().length());
        node.send("{\"cmd\":\"broadcast\",\"room\":\"r1\",\"event\":\"big-node\",\"args\":[\"" + big
                + "\"],\"binary\":false}");
        assertEquals(9000, received(onJava, "big-node").get("args").get(0).asText().length());

        // Nothing reached a socket outside the room: it gets the marker, and only that.
        java.io().emit("marker");
        received(outsider, "marker");
        assertEquals(List.of("marker"), outsider.events().stream()
                .filter(e -> "received".equals(e.path("event").asText())).map(e -> e.path("name").asText()).toList());
    }

    @Test
    void requestsAreAnsweredByEveryNodeBothWays() throws Exception {
        PgCluster.Node java = cluster.javaNode("java");
        PgCluster.Node java2 = cluster.javaNode("java2");
        NodeScript node = cluster.nodeNode();
        awaitServers(3, List.of(java, java2), List.of(node));
        NodeScript onJava = cluster.client(java.port(), "java", "shared");
        NodeScript onJava2 = cluster.client(java2.port(), "java2", "shared");
        NodeScript onNode = cluster.client(port(node), "n", "shared");
        Set<String> everyone = Set.of(id(onJava), id(onJava2), id(onNode));

        List<RemoteSocket> sockets = java.io().in("shared").fetchSockets().get(10, TimeUnit.SECONDS);
        Map<String, RemoteSocket> byId = sockets.stream().collect(Collectors.toMap(RemoteSocket::id, s -> s));
        assertEquals(everyone, byId.keySet());
        assertEquals("node", ((Map<?, ?>) byId.get(id(onNode)).data()).get("origin"));
        assertEquals(Set.of(id(onJava2), "shared"), byId.get(id(onJava2)).rooms());

        node.send("{\"cmd\":\"fetch\",\"room\":\"shared\"}");
        Set<String> seen = new HashSet<>();
        node.await("fetched", WAIT).get("sockets").forEach(s -> seen.add(s.get("id").asText()));
        assertEquals(everyone, seen);

        List<Object> acks = java.io().serverSideEmitWithAck("java-says", "hello").get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("node-ack:hello", "java2:hello"), texts(acks));
        node.send("{\"cmd\":\"serverSideEmitWithAck\",\"text\":\"yo\"}");
        Set<String> nodeAcks = new HashSet<>();
        node.await("server-side-acks", WAIT).get("replies").forEach(r -> nodeAcks.add(r.asText()));
        assertEquals(Set.of("java:yo", "java2:yo"), nodeAcks);

        List<Object> replies = java.io().to("shared").timeout(Duration.ofSeconds(5)).emitWithAck("ask", "q")
                .get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("java:q", "java2:q", "n:q"), texts(replies));
        node.send("{\"cmd\":\"emitWithAck\",\"room\":\"shared\"}");
        Set<String> fromNode = new HashSet<>();
        node.await("acks", WAIT).get("replies").forEach(r -> fromNode.add(r.asText()));
        assertEquals(Set.of("java:from-node", "java2:from-node", "n:from-node"), fromNode);
    }

    @Test
    void membershipAndDisconnectionAcrossJavaAndNode() throws Exception {
        PgCluster.Node java = cluster.javaNode("java");
        NodeScript node = cluster.nodeNode();
        awaitServers(2, List.of(java), List.of(node));
        NodeScript onJava = cluster.client(java.port(), "java");
        NodeScript onNode = cluster.client(port(node), "n");

        node.send("{\"cmd\":\"socketsJoin\",\"room\":\"" + id(onJava) + "\",\"target\":\"by-node\"}");
        PgCluster.waitFor(() -> java.io().of("/").adapter().socketRooms(id(onJava)).contains("by-node"), "join");
        java.io().in(id(onNode)).socketsJoin("by-java");
        PgCluster.waitFor(() -> java.io().in("by-java").fetchSockets().get(10, TimeUnit.SECONDS).stream()
                .anyMatch(s -> s.id().equals(id(onNode))), "the Node socket joined by-java");
        java.io().in(id(onNode)).disconnectSockets(true);
        assertTrue(onNode.await("disconnect", WAIT).get("reason").asText().contains("disconnect"));
        node.send("{\"cmd\":\"disconnect\",\"room\":\"" + id(onJava) + "\"}");
        assertTrue(onJava.await("disconnect", WAIT).get("reason").asText().contains("disconnect"));
    }

    /**
     * A node that closes says so (its peers stop counting it at once); one that vanishes is dropped after the
     * heartbeat timeout, and requests no longer wait for it.
     */
    @Test
    void nodesThatLeaveAreNoLongerWaitedFor() throws Exception {
        PgCluster.Node java = cluster.javaNode("java");
        PgCluster.Node java2 = cluster.javaNode("java2");
        NodeScript node = cluster.nodeNode();
        awaitServers(3, List.of(java, java2), List.of(node));

        java2.io().close();
        awaitServers(2, List.of(java), List.of(node));

        node.close();
        awaitServers(1, List.of(java), List.of());
        assertEquals(List.of(), java.io().serverSideEmitWithAck("java-says", "anyone?").get(1, TimeUnit.SECONDS));
        assertEquals(0, java.io().fetchSockets().get(1, TimeUnit.SECONDS).size());
    }

    private static Set<String> texts(List<Object> values) {
        return values.stream().map(v -> ((JsonNode) v).asText()).collect(Collectors.toSet());
    }
}
