package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The cluster-wide API on one node: fetchSockets, remote sockets, socketsJoin/Leave, disconnectSockets. */
class FetchSocketsIT {

    private static Set<String> ids(List<RemoteSocket> sockets) {
        return sockets.stream().map(RemoteSocket::id).collect(Collectors.toSet());
    }

    @Test
    void fetchSocketsDescribesTheSelectedSockets() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> socket.data().put("user", socket.handshake().auth().path("user").asText()));
            Puppet ann = fx.puppet("--auth={\"user\":\"ann\"}", "--query={\"lang\":\"en\"}");
            Puppet bob = fx.puppet("--auth={\"user\":\"bob\"}");
            String annId = ann.awaitConnect(0);
            String bobId = bob.awaitConnect(0);
            fx.io.sockets().get(annId).join("team");

            List<RemoteSocket> all = fx.io.fetchSockets().get(5, TimeUnit.SECONDS);
            assertEquals(Set.of(annId, bobId), ids(all));
            List<RemoteSocket> team = fx.io.in("team").fetchSockets().get(5, TimeUnit.SECONDS);
            assertEquals(1, team.size());
            RemoteSocket a = team.get(0);
            assertEquals(annId, a.id());
            assertEquals(Set.of(annId, "team"), a.rooms());
            assertEquals(Map.of("user", "ann"), a.data());
            @SuppressWarnings("unchecked")
            Map<String, String> query = (Map<String, String>) a.handshake().get("query");
            assertEquals("en", query.get("lang"));
            assertEquals("4", query.get("EIO"));
            assertEquals("ann", ((JsonNode) a.handshake().get("auth")).get("user").asText());
            assertEquals("127.0.0.1", a.handshake().get("address"));
            assertEquals(Set.of(bobId), ids(fx.io.except("team").fetchSockets().get(5, TimeUnit.SECONDS)));
        }
    }

    @Test
    void remoteSocketsEmitJoinLeaveAndDisconnect() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--clients=2");
            String id0 = p.awaitConnect(0);
            String id1 = p.awaitConnect(1);
            RemoteSocket r0 = fx.io.in(id0).fetchSockets().get(5, TimeUnit.SECONDS).get(0);

            r0.emit("hello", "r0");
            assertEquals("r0", p.awaitReceived(0, "hello", 1).get(0).get(0).asText());
            r0.join("x", "y");
            assertEquals(Set.of(id0, "x", "y"), fx.io.sockets().get(id0).rooms());
            r0.leave("x");
            assertEquals(Set.of(id0, "y"), fx.io.sockets().get(id0).rooms());
            r0.disconnect(false);
            assertEquals("io server disconnect", p.awaitDisconnect(0));
            SioFixture.eventually(() -> assertEquals(Set.of(id1), fx.io.sockets().keySet()), p.diagnostics());
            assertTrue(p.received(1, "hello").isEmpty());
        }
    }

    @Test
    void socketsJoinLeaveAndDisconnectSocketsActOnTheSelection() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--clients=3");
            String[] ids = {p.awaitConnect(0), p.awaitConnect(1), p.awaitConnect(2)};
            fx.io.sockets().get(ids[0]).join("a");
            fx.io.sockets().get(ids[1]).join("a");

            fx.io.in("a").socketsJoin("b", "c");
            assertEquals(Set.of(ids[0], ids[1]), fx.io.of("/").adapter().rooms().get("c"));
            fx.io.in("b").except(ids[1]).socketsLeave("c");
            assertEquals(Set.of(ids[1]), fx.io.of("/").adapter().rooms().get("c"));
            fx.io.except("a").socketsJoin("outsiders");
            assertEquals(Set.of(ids[2]), fx.io.of("/").adapter().rooms().get("outsiders"));

            fx.io.in("c").disconnectSockets(false);
            assertEquals("io server disconnect", p.awaitDisconnect(1));
            fx.io.in("outsiders").disconnectSockets(true);
            assertEquals("io server disconnect", p.awaitDisconnect(2));
            SioFixture.eventually(() -> assertEquals(Set.of(ids[0]), fx.io.sockets().keySet()), p.diagnostics());
            fx.io.emit("end");
            p.awaitReceived(0, "end", 1);
            assertTrue(p.events("disconnect", 0).isEmpty());
        }
    }

    @Test
    void serverSideEmitOnASingleNodeIsANoOp() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.of("/").onServerSideEmit("hello", args -> {
                throw new AssertionError("a single node does not hear its own serverSideEmit");
            });
            fx.io.serverSideEmit("hello", 1);
            assertEquals(List.of(), fx.io.serverSideEmitWithAck("hello", 2).get(5, TimeUnit.SECONDS));
        }
    }
}
