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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Java node and a Node.js node (socket.io 4.8 + @socket.io/redis-streams-adapter 0.3) on one stream: broadcasts
 * both ways, and connection state recovery across instances in both directions.
 */
class StreamsClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String key = "hibiki-streams-it-" + ClassicWire.randomId();
    private SocketIoServer java;
    private NodeScript node;
    private int javaPort;
    private int nodePort;

    @BeforeEach
    void start() throws Exception {
        java = SocketIoServer.builder()
                .adapter(RedisStreamsAdapter.factory(RedisStreamsOptions.of("redis://127.0.0.1:6379")
                        .withNames(key, key, key + ":session:")))
                .connectionStateRecovery(Duration.ofMinutes(1), true)
                .build();
        java.onConnection(socket -> socket.on("join", (args, ack) -> {
            socket.join(args.getString(0));
            ack.send("joined");
        }));
        javaPort = java.listen(new InetSocketAddress("127.0.0.1", 0), null);
        try (ServerSocket s = new ServerSocket(0)) {
            nodePort = s.getLocalPort();
        }
        node = NodeScript.start("redis-streams-node-server.mjs", "--port=" + nodePort, "--key=" + key);
        node.await("listening", WAIT);
        Awaitility.await().atMost(WAIT).until(() -> java.of("/").adapter().serverCount().get() == 2);
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

    private NodeScript client(int port, String room) {
        NodeScript c = NodeScript.start("sio-recovering-client.mjs", "--url=http://127.0.0.1:" + port, "--room=" + room);
        c.await("connected", WAIT);
        return c;
    }

    private static JsonNode received(NodeScript c, String name) {
        return c.await(e -> e.path("event").asText().equals("received") && e.path("name").asText().equals(name), WAIT);
    }

    @Test
    void broadcastsAndFetchSocketsSpanBothNodes() throws Exception {
        try (NodeScript onJava = client(javaPort, "r"); NodeScript onNode = client(nodePort, "r")) {
            java.to("r").emit("from-java", "a", new byte[] {1, 2});
            assertEquals("a", received(onNode, "from-java").get("args").get(0).asText());
            received(onJava, "from-java");
            node.send("{\"cmd\":\"broadcast\",\"room\":\"r\",\"event\":\"from-node\",\"args\":[{\"n\":7}]}");
            assertEquals(7, received(onJava, "from-node").get("args").get(0).get("n").asInt());

            String javaId = onJava.await("connected", WAIT).get("id").asText();
            String nodeId = onNode.await("connected", WAIT).get("id").asText();
            List<RemoteSocket> sockets = java.in("r").fetchSockets().get(10, TimeUnit.SECONDS);
            assertEquals(Set.of(javaId, nodeId), sockets.stream().map(RemoteSocket::id).collect(Collectors.toSet()));
        }
    }

    @Test
    void aClientDroppedFromJavaRecoversOnNode() {
        String id = recoversAcross(javaPort, nodePort, () -> java.to("r").emit("missed", "m1"),
                () -> java.to("r").emit("missed", "m2"));
        JsonNode conn = node.await(e -> e.path("event").asText().equals("connection")
                && e.path("id").asText().equals(id), WAIT);
        assertTrue(conn.get("recovered").asBoolean(), "the Node server restored the session the Java node kept");
        assertTrue(conn.get("rooms").toString().contains("\"r\""), "rooms kept: " + conn);
    }

    @Test
    void aClientDroppedFromNodeRecoversOnJava() {
        java.of("/").onConnection(socket -> {
            if (socket.recovered()) {
                recoveredOnJava.add(socket.id() + " " + socket.rooms());
            }
        });
        String id = recoversAcross(nodePort, javaPort,
                () -> node.send("{\"cmd\":\"broadcast\",\"room\":\"r\",\"event\":\"missed\",\"args\":[\"m1\"]}"),
                () -> node.send("{\"cmd\":\"broadcast\",\"room\":\"r\",\"event\":\"missed\",\"args\":[\"m2\"]}"));
        Awaitility.await().atMost(WAIT).until(() -> !recoveredOnJava.isEmpty());
        assertTrue(recoveredOnJava.get(0).startsWith(id), recoveredOnJava.toString());
        assertTrue(recoveredOnJava.get(0).contains("r"), "rooms kept: " + recoveredOnJava);
    }

    private final List<String> recoveredOnJava = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Drops a client from one node, emits while it is gone, lets it come back on the other; returns its id. */
    private String recoversAcross(int from, int to, Runnable first, Runnable second) {
        try (NodeScript c = client(from, "r")) {
            String id = c.await("connected", WAIT).get("id").asText();
            java.to("r").emit("before", 0);
            received(c, "before");
            c.send("{\"cmd\":\"drop\"}");
            c.await("dropped", WAIT);
            // Wait until the server has let the socket go (and persisted its session) before emitting the gap.
            Awaitility.await().atMost(WAIT).until(() -> java.in("r").fetchSockets().get().isEmpty());
            first.run();
            second.run();
            c.send("{\"cmd\":\"hop\",\"url\":\"http://127.0.0.1:" + to + "\"}");
            // The client library's own "recovered" flag stays false for a socket created with a carried-over
            // session; what counts is the id, the rooms, and the replayed packets.
            Awaitility.await().atMost(WAIT).until(() -> c.events().stream()
                    .filter(e -> e.path("event").asText().equals("connected")).count() == 2);
            JsonNode again = c.events().stream().filter(e -> e.path("event").asText().equals("connected"))
                    .skip(1).findFirst().orElseThrow();
            assertEquals(id, again.get("id").asText(), "same socket id after recovery");
            Awaitility.await().atMost(WAIT).until(() -> c.events().stream()
                    .filter(e -> e.path("name").asText().equals("missed")).count() >= 2);
            List<String> missed = c.events().stream().filter(e -> e.path("name").asText().equals("missed"))
                    .map(e -> e.get("args").get(0).asText()).toList();
            assertEquals(List.of("m1", "m2"), missed, c.diagnostics());
            return id;
        }
    }
}
