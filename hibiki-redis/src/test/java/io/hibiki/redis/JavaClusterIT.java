package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.RemoteSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three Java nodes in one JVM (and one in another JVM) forming one cluster over the classic Redis adapter. */
class JavaClusterIT {

    private final Cluster cluster = new Cluster();
    private Cluster.Node a;
    private Cluster.Node b;
    private Cluster.Node c;

    @BeforeEach
    void start() {
        a = cluster.node("A");
        b = cluster.node("B");
        c = cluster.node("C");
        cluster.awaitServers(a, 3);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void serverCountIsThreeOnEveryNode() throws Exception {
        for (Cluster.Node n : List.of(a, b, c)) {
            assertEquals(3, n.io().of("/").adapter().serverCount().get(5, TimeUnit.SECONDS), n.name());
        }
    }

    @Test
    void roomBroadcastFromOneNodeReachesMembersOnTheOthersOnly() {
        TestClient onA = cluster.client(a, "room");
        TestClient onB = cluster.client(b, "room");
        TestClient outsiderOnC = cluster.client(c);
        TestClient exceptedOnC = cluster.client(c, "room", "muted");

        b.io().to("room").except("muted").emit("news", "hi", new byte[] {4, 2});
        b.io().emit("marker");

        TestClient.Event news = onA.await("news");
        assertEquals("hi", news.args().get(0));
        assertArrayEquals(new byte[] {4, 2}, (byte[]) news.args().get(1));
        onB.await("news");
        for (TestClient other : List.of(outsiderOnC, exceptedOnC)) {
            other.await("marker");
            assertEquals(List.of("marker"), other.names());
        }
    }

    @Test
    void fetchSocketsSeesSocketsOfOtherNodesWithRoomsAndData() throws Exception {
        TestClient onA = cluster.client(a, "shared", "only-a");
        TestClient onB = cluster.client(b, "shared");
        cluster.client(c, "elsewhere");

        List<RemoteSocket> sockets = c.io().in("shared").fetchSockets().get(10, TimeUnit.SECONDS);
        Map<String, RemoteSocket> byId = sockets.stream().collect(Collectors.toMap(RemoteSocket::id, s -> s));
        assertEquals(Set.of(onA.id(), onB.id()), byId.keySet());
        assertEquals(Set.of(onA.id(), "shared", "only-a"), byId.get(onA.id()).rooms());
        assertEquals(Set.of(onB.id(), "shared"), byId.get(onB.id()).rooms());
        assertEquals("A", ((Map<?, ?>) byId.get(onA.id()).data()).get("origin"));
        assertEquals("B", ((Map<?, ?>) byId.get(onB.id()).data()).get("origin"));
        assertTrue(byId.get(onA.id()).handshake().containsKey("headers"));

        assertEquals(3, c.io().fetchSockets().get(10, TimeUnit.SECONDS).size());
        Set<String> rooms = c.adapter().allRooms().get(10, TimeUnit.SECONDS);
        assertTrue(rooms.containsAll(Set.of("shared", "only-a", "elsewhere", onA.id())), rooms.toString());
    }

    @Test
    void membershipAndDisconnectFromAnotherNodeActOnTheSocket() {
        TestClient onA = cluster.client(a);
        String id = onA.id();

        b.io().in(id).socketsJoin("x", "y");
        Cluster.waitFor(() -> a.adapter().socketRooms(id).containsAll(Set.of("x", "y")), "remote join");
        c.io().to("x").emit("in-x");
        onA.await("in-x");

        b.io().in("y").socketsLeave("x");
        Cluster.waitFor(() -> !a.adapter().socketRooms(id).contains("x"), "remote leave");
        assertTrue(a.adapter().socketRooms(id).contains("y"));

        b.io().in("y").disconnectSockets(true);
        assertEquals("io server disconnect", onA.awaitDisconnect());
        Cluster.waitFor(() -> a.io().sockets().isEmpty(), "socket gone on A");
    }

    @Test
    void serverSideEmitReachesTheOtherNodesAndCollectsTheirAcks() throws Exception {
        List<Object> acks = b.io().serverSideEmitWithAck("ping", "q").get(10, TimeUnit.SECONDS);
        Set<String> texts = acks.stream().map(r -> ((JsonNode) r).asText()).collect(Collectors.toSet());
        assertEquals(Set.of("A:q", "C:q"), texts);

        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Cluster.Node n : List.of(a, b, c)) {
            n.io().of("/").onServerSideEmit("hello", args -> {
                heard.add(n.name() + ":" + args.get(0).asText());
                return null;
            });
        }
        a.io().serverSideEmit("hello", "world");
        Cluster.waitFor(() -> heard.size() == 2, "server-side emit");
        assertEquals(Set.of("B:world", "C:world"), Set.copyOf(heard));
    }

    @Test
    void broadcastWithAckCollectsFromClientsOnAllThreeNodes() throws Exception {
        cluster.client(a, "ack");
        cluster.client(b, "ack");
        cluster.client(c, "ack");
        cluster.client(c);

        List<Object> replies = a.io().to("ack").timeout(Duration.ofSeconds(5)).emitWithAck("ask", "q")
                .get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("A:q", "B:q", "C:q"),
                replies.stream().map(r -> ((JsonNode) r).asText()).collect(Collectors.toSet()));
        assertEquals(3, replies.size());

        // Nobody in the room: every node still reports its count (0), so this completes at once, not at the timeout.
        long t0 = System.nanoTime();
        assertEquals(List.of(), c.io().to("nobody").timeout(Duration.ofSeconds(5)).emitWithAck("ask", "q")
                .get(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(4));
    }

    @Test
    void aNodeInAnotherJvmJoinsTheCluster() throws Exception {
        JvmNode other = cluster.closeLater(JvmNode.start(Cluster.REDIS, cluster.key));
        int port = other.port();
        cluster.awaitServers(a, 4);
        TestClient onOther = cluster.client(port, "jvm", "room");
        TestClient onA = cluster.client(a, "room");

        a.io().to("room").emit("from-a", "one");
        assertEquals("one", onOther.await("from-a").args().get(0));

        other.send("emit room from-jvm two");
        assertEquals("two", onA.await("from-jvm").args().get(0));

        List<RemoteSocket> sockets = b.io().in("room").fetchSockets().get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(onOther.id(), onA.id()), sockets.stream().map(RemoteSocket::id).collect(Collectors.toSet()));
        Set<String> acks = c.io().serverSideEmitWithAck("ping", "x").get(10, TimeUnit.SECONDS).stream()
                .map(r -> ((JsonNode) r).asText()).collect(Collectors.toSet());
        assertEquals(Set.of("A:x", "B:x", "jvm:x"), acks);

        other.close();
        cluster.awaitServers(a, 3);
    }
}
