package io.hibiki.adminui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin UI's server side as the UI uses it (a socket.io-client on {@code /admin} doing what the UI does), on two
 * Hibiki servers and one Node server running {@code instrument()}, all on one Redis: sign-in, sessions, every
 * server's stats and sockets seen from an admin connected to any one of them, socket-by-socket events, and the
 * commands reaching the clients of every server.
 */
class AdminUiIT {

    private final AdminCluster cluster = new AdminCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    static JsonNode received(NodeScript s, String name, java.util.function.Predicate<JsonNode> args) {
        return s.await(e -> "received".equals(e.path("event").asText()) && name.equals(e.path("name").asText())
                && args.test(e.path("args")), AdminCluster.WAIT);
    }

    @Test
    void aSignedInAdminSeesAndCommandsEveryServerOfTheCluster() throws Exception {
        int java1 = cluster.javaServer("java-1");
        int java2 = cluster.javaServer("java-2");
        int node = cluster.nodeServer("node");
        NodeScript on1 = cluster.client(java1, "room1");
        NodeScript on2 = cluster.client(java2, "room1");
        NodeScript onNode = cluster.client(node, "room1");
        Set<String> clientIds = Set.of(id(on1), id(on2), id(onNode));

        NodeScript wrong = cluster.admin(java1, "--username=admin", "--password=wrong");
        assertEquals("invalid credentials", wrong.await("connect_error", AdminCluster.WAIT).path("message").asText());

        NodeScript ui = cluster.admin(java2, "--username=admin", "--password=" + AdminCluster.PASSWORD);
        ui.await("connected", AdminCluster.WAIT);
        String session = received(ui, "session", a -> a.get(0).isTextual()).path("args").get(0).asText();
        JsonNode config = received(ui, "config", a -> true).path("args").get(0);
        Set<String> features = new HashSet<>();
        config.path("supportedFeatures").forEach(f -> features.add(f.asText()));
        assertTrue(features.containsAll(Set.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE",
                "MDISCONNECT", "ALL_EVENTS")), config.toString());

        // Every server's stats reach an admin connected to one of them.
        for (String server : List.of("java-1", "java-2", "node")) {
            JsonNode stats = received(ui, "server_stats", a -> server.equals(a.get(0).path("serverId").asText()))
                    .path("args").get(0);
            assertTrue(stats.path("clientsCount").asInt() >= 1, stats.toString());
            assertTrue(stats.path("namespaces").toString().contains("\"name\":\"/\""), stats.toString());
        }
        // All sockets of every server, with their rooms.
        JsonNode all = received(ui, "all_sockets", a -> true).path("args").get(0);
        Set<String> listed = new HashSet<>();
        all.forEach(s -> {
            if (s.path("nsp").asText().equals("/") && s.path("rooms").toString().contains("room1")) {
                listed.add(s.path("id").asText());
            }
        });
        assertEquals(clientIds, listed, all.toString());

        // Socket-by-socket events of another server arrive through the adapter.
        NodeScript late = cluster.client(java1, "room2");
        received(ui, "socket_connected", a -> a.get(0).path("id").asText().equals(id(late))
                && a.get(0).path("clientId").isTextual() && a.get(0).path("transport").asText().equals("websocket"));

        // Commands reach the clients of every server.
        ui.send("{\"cmd\":\"emit\",\"args\":[\"/\",\"room1\",\"from-admin\",\"hi\"]}");
        for (NodeScript c : List.of(on1, on2, onNode)) {
            c.await(e -> "received".equals(e.path("event").asText()) && "from-admin".equals(e.path("name").asText()),
                    AdminCluster.WAIT);
        }
        ui.send("{\"cmd\":\"join\",\"args\":[\"/\",\"joined-by-admin\",\"room1\"]}");
        ui.send("{\"cmd\":\"emit\",\"args\":[\"/\",\"joined-by-admin\",\"in-new-room\"]}");
        for (NodeScript c : List.of(on1, on2, onNode)) {
            c.await(e -> "received".equals(e.path("event").asText()) && "in-new-room".equals(e.path("name").asText()),
                    AdminCluster.WAIT);
        }
        ui.send("{\"cmd\":\"leave\",\"args\":[\"/\",\"joined-by-admin\",\"room1\"]}");
        AdminCluster.waitFor(() -> cluster.anyServer().in("joined-by-admin").fetchSockets()
                .get(10, java.util.concurrent.TimeUnit.SECONDS).isEmpty(), "every server's sockets left the room");
        ui.send("{\"cmd\":\"_disconnect\",\"args\":[\"/\",false,\"room1\"]}");
        for (NodeScript c : List.of(on1, on2, onNode)) {
            c.await("disconnect", AdminCluster.WAIT);
        }
        assertTrue(late.events().stream().noneMatch(e -> "disconnect".equals(e.path("event").asText())),
                "a socket outside the filter stays");

        // The session lets the UI reconnect to its server without the password (sessions are kept per server, as
        // with Node's InMemoryStore); another server does not know it.
        NodeScript again = cluster.admin(java2, "--session=" + session);
        again.await("connected", AdminCluster.WAIT);
        NodeScript elsewhere = cluster.admin(java1, "--session=" + session);
        assertEquals("invalid credentials", elsewhere.await("connect_error", AdminCluster.WAIT).path("message").asText());
        NodeScript forged = cluster.admin(java2, "--session=0123456789abcdef");
        assertEquals("invalid credentials", forged.await("connect_error", AdminCluster.WAIT).path("message").asText());
    }

    private static String id(NodeScript client) {
        return client.await("ready", AdminCluster.WAIT).path("id").asText();
    }

    @Test
    void namespacesTheServerDoesNotHaveAreNotCreatedByCommands() throws Exception {
        int port = cluster.javaServer("java");
        NodeScript ui = cluster.admin(port, "--username=admin", "--password=" + AdminCluster.PASSWORD);
        received(ui, "config", a -> true);
        ui.send("{\"cmd\":\"emit\",\"args\":[\"/made-up\",\"\",\"x\"]}");
        ui.send("{\"cmd\":\"join\",\"args\":[\"/made-up-too\",\"r\",\"\"]}");
        // Its next stats list the namespaces this server has: still only the main and admin ones.
        ui.await(e -> "sent".equals(e.path("event").asText()) && "join".equals(e.path("cmd").asText()), AdminCluster.WAIT);
        int before = stats(ui).size();
        AdminCluster.waitFor(() -> stats(ui).size() > before, "stats sent after the commands");
        List<JsonNode> all = stats(ui);
        Set<String> names = new HashSet<>();
        all.get(all.size() - 1).path("namespaces").forEach(n -> names.add(n.path("name").asText()));
        assertEquals(Set.of("/", "/admin"), names);
    }

    /**
     * Read-only and without sign-in: anyone connects and watches, no command is offered or carried out. Had the
     * emit been carried out, it would have reached the client before the test's own marker (both are written on
     * the client's loop, in order), so the marker arriving alone shows it was not.
     */
    @Test
    void aReadOnlyAdminWatchesAndCannotCommand() throws Exception {
        int port = cluster.javaServer(AdminUiOptions.withoutAuth().withReadonly(true).withServerId("ro"));
        NodeScript client = cluster.client(port, "room1");
        NodeScript ui = cluster.admin(port);
        ui.await("connected", AdminCluster.WAIT);
        JsonNode config = received(ui, "config", a -> true).path("args").get(0);
        assertEquals("[\"ALL_EVENTS\"]", config.path("supportedFeatures").toString());
        received(ui, "server_stats", a -> "ro".equals(a.get(0).path("serverId").asText()));

        // Known to have been handled (or not) once a task queued behind it on the admin socket's loop has run.
        java.util.concurrent.CompletableFuture<String> handled = new java.util.concurrent.CompletableFuture<>();
        io.hibiki.socketio.Socket adminSocket = cluster.anyServer().of("/admin").sockets().values().iterator().next();
        adminSocket.onAny((event, args) -> adminSocket.executor().execute(() -> handled.complete(event)));
        ui.send("{\"cmd\":\"emit\",\"args\":[\"/\",\"room1\",\"from-admin\"]}");
        assertEquals("emit", handled.get(30, java.util.concurrent.TimeUnit.SECONDS));
        cluster.anyServer().emit("marker");
        client.await(e -> "received".equals(e.path("event").asText()) && "marker".equals(e.path("name").asText()),
                AdminCluster.WAIT);
        assertTrue(client.events().stream().noneMatch(e -> "from-admin".equals(e.path("name").asText())),
                client.diagnostics());
    }

    private static List<JsonNode> stats(NodeScript ui) {
        return ui.events().stream().filter(e -> "received".equals(e.path("event").asText())
                && "server_stats".equals(e.path("name").asText())).map(e -> e.path("args").get(0)).toList();
    }
}
