package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.NodeScript;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Java node and a Node.js node (socket.io 4.8 + @socket.io/redis-adapter 8.3) in one cluster on real Redis. */
class MixedClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String key = "hibiki-it-" + ClassicWire.randomId();
    private SocketIoServer java;
    private NodeScript node;
    private int javaPort;
    private int nodePort;

    @BeforeEach
    void start() throws Exception {
        java = SocketIoServer.builder()
                .adapter(RedisAdapter.factory(RedisAdapterOptions.of("redis://127.0.0.1:6379").withKey(key)
                        .withRequestsTimeout(Duration.ofSeconds(3))))
                .build();
        java.onConnection(socket -> {
            socket.data().put("origin", "java");
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
        });
        java.of("/").onServerSideEmit("node-says", args -> List.of("java-ack:" + args.get(0).asText()));
        javaPort = java.listen(new InetSocketAddress("127.0.0.1", 0), null);
        try (ServerSocket s = new ServerSocket(0)) {
            nodePort = s.getLocalPort();
        }
        node = NodeScript.start("redis-node-server.mjs", "--port=" + nodePort, "--key=" + key);
        node.await("listening", WAIT);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> java.of("/").adapter().serverCount().get() == 2);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (java != null) {
            java.close();
        }
    }

    private NodeScript client(int port, String rooms, String answer) {
        NodeScript c = NodeScript.start("sio-listener.mjs", "--url=http://127.0.0.1:" + port, "--rooms=" + rooms,
                "--answer=" + answer);
        c.await("ready", WAIT);
        return c;
    }

    @Test
    void broadcastsFlowBothWaysIncludingBinary() {
        try (NodeScript onJava = client(javaPort, "r1", "j"); NodeScript onNode = client(nodePort, "r1", "n")) {
            java.to("r1").emit("from-java", "hi", new byte[] {1, 2, 3});
            JsonNode got = onNode.await(e -> e.path("name").asText().equals("from-java"), WAIT);
            assertEquals("hi", got.get("args").get(0).asText());
            assertEquals("[1,2,3]", got.get("args").get(1).get("bytes").toString());
            onJava.await(e -> e.path("name").asText().equals("from-java"), WAIT);

            node.send("{\"cmd\":\"broadcast\",\"room\":\"r1\",\"event\":\"from-node\",\"args\":[{\"n\":42}]}");
            JsonNode fromNode = onJava.await(e -> e.path("name").asText().equals("from-node"), WAIT);
            assertEquals(42, fromNode.get("args").get(0).get("n").asInt());
            assertEquals("[7,8,9]", fromNode.get("args").get(1).get("bytes").toString());
        }
    }

    @Test
    void roomsAreVisibleToFetchSocketsOnBothSides() throws Exception {
        try (NodeScript onJava = client(javaPort, "shared", "j"); NodeScript onNode = client(nodePort, "shared", "n")) {
            String javaId = onJava.await("ready", WAIT).get("id").asText();
            String nodeId = onNode.await("ready", WAIT).get("id").asText();
            List<RemoteSocket> sockets = java.in("shared").fetchSockets().get(10, TimeUnit.SECONDS);
            Set<String> ids = sockets.stream().map(RemoteSocket::id).collect(Collectors.toSet());
            assertEquals(Set.of(javaId, nodeId), ids);
            RemoteSocket remote = sockets.stream().filter(s -> s.id().equals(nodeId)).findFirst().orElseThrow();
            assertTrue(remote.rooms().contains("shared"));
            assertEquals("node", ((java.util.Map<?, ?>) remote.data()).get("origin"));

            node.send("{\"cmd\":\"fetch\",\"room\":\"shared\"}");
            JsonNode fetched = node.await("fetched", WAIT);
            Set<String> seen = new java.util.HashSet<>();
            fetched.get("sockets").forEach(s -> seen.add(s.get("id").asText()));
            assertEquals(Set.of(javaId, nodeId), seen);
        }
    }

    @Test
    void serverSideEmitWithAckBothWays() throws Exception {
        List<Object> fromNode = java.serverSideEmitWithAck("java-says", "hello").get(10, TimeUnit.SECONDS);
        assertEquals(1, fromNode.size());
        assertEquals("node-ack:hello", ((JsonNode) fromNode.get(0)).asText());
        assertEquals("hello", node.await("server-side", WAIT).get("text").asText());

        node.send("{\"cmd\":\"serverSideEmitWithAck\",\"text\":\"yo\"}");
        JsonNode acks = node.await("server-side-acks", WAIT);
        assertEquals("[\"java-ack:yo\"]", acks.get("replies").toString());
    }

    @Test
    void broadcastWithAckCollectsAcksFromClientsOnBothNodes() throws Exception {
        try (NodeScript onJava = client(javaPort, "ack", "j"); NodeScript onNode = client(nodePort, "ack", "n")) {
            List<Object> replies = java.to("ack").timeout(Duration.ofSeconds(5)).emitWithAck("ask", "q")
                    .get(10, TimeUnit.SECONDS);
            Set<String> texts = replies.stream().map(r -> ((JsonNode) r).asText()).collect(Collectors.toSet());
            assertEquals(Set.of("j:q", "n:q"), texts);

            node.send("{\"cmd\":\"emitWithAck\",\"room\":\"ack\"}");
            JsonNode acks = node.await("acks", WAIT);
            Set<String> fromNode = new java.util.HashSet<>();
            acks.get("replies").forEach(r -> fromNode.add(r.asText()));
            assertEquals(Set.of("j:from-node", "n:from-node"), fromNode);
        }
    }

    @Test
    void nodeEmitterAndRemoteJoinReachJavaClients() {
        try (NodeScript onJava = client(javaPort, "", "j")) {
            String id = onJava.await("ready", WAIT).get("id").asText();
            node.send("{\"cmd\":\"socketsJoin\",\"room\":\"" + id + "\",\"target\":\"joined-by-node\"}");
            node.await(e -> e.path("cmd").asText().equals("socketsJoin"), WAIT);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                    java.of("/").adapter().socketRooms(id).contains("joined-by-node"));
            node.send("{\"cmd\":\"emitter\",\"room\":\"joined-by-node\",\"event\":\"via-emitter\",\"args\":[\"e1\"]}");
            JsonNode got = onJava.await(e -> e.path("name").asText().equals("via-emitter"), WAIT);
            assertEquals("e1", got.get("args").get(0).asText());
        }
    }
}
