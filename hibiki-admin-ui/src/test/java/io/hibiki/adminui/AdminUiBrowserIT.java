package io.hibiki.adminui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.socketio.RemoteSocket;
import io.hibiki.testsupport.NodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin UI itself (the page {@code @socket.io/admin-ui} 0.5.1 ships, served from this jar) in headless Chromium
 * (Debian's {@code chromium}), signed in to one of two Hibiki servers that share Redis with a Node server running
 * {@code instrument()}: it lists the three servers, every socket and room, and its commands reach the sockets of
 * the other servers. Screenshots at 1280 and 390 px under {@code target/screenshots}.
 */
class AdminUiBrowserIT {

    private final AdminCluster cluster = new AdminCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theUiServedFromTheJarShowsAndCommandsEveryServer() throws Exception {
        int java1 = cluster.javaServer("java-1");
        int java2 = cluster.javaServer("java-2");
        int node = cluster.nodeServer("node");
        NodeScript on1 = cluster.client(java1, "room1");
        NodeScript on2 = cluster.client(java2, "room1");
        NodeScript onNode = cluster.client(node, "room1");
        String id1 = id(on1);
        String id2 = id(on2);
        String idNode = id(onNode);
        Path shots = Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());

        try (NodeScript browser = NodeScript.start("admin-ui-browser.mjs", "--url=http://127.0.0.1:" + java1,
                "--password=" + AdminCluster.PASSWORD, "--servers=java-1,java-2,node",
                "--ids=" + String.join(",", id1, id2, idNode), "--join=" + idNode + "," + id2,
                "--disconnect=" + id2, "--shots=" + shots)) {
            int exit = browser.awaitExit(Duration.ofSeconds(110));
            assertEquals(0, exit, browser.diagnostics());
        }
        // The UI's commands went through the adapter to the other servers' sockets.
        Set<String> inFromUi = cluster.anyServer().in("from-ui").fetchSockets().get(10, TimeUnit.SECONDS).stream()
                .map(RemoteSocket::id).collect(Collectors.toSet());
        assertEquals(Set.of(idNode), inFromUi, "the Node socket joined; the java-2 one was joined, then disconnected");
        on2.await("disconnect", AdminCluster.WAIT);
    }

    private static String id(NodeScript client) {
        return client.await("ready", AdminCluster.WAIT).path("id").asText();
    }
}
