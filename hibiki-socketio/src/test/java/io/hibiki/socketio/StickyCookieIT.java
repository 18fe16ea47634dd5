package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.engine.EngineOptions;
import io.hibiki.testsupport.NodeScript;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sticky-session recipe ({@code docs/sticky-sessions/haproxy.cfg}) run as written, in front of two servers that
 * set Node's session cookie: every polling client (the official JS client, with its cookie jar) keeps its session
 * through many requests, spread over both servers. The same HAProxy without the cookie rules breaks those
 * sessions: the check can tell a working recipe from a broken one.
 */
class StickyCookieIT {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Path RECIPE = Path.of("..", "docs", "sticky-sessions", "haproxy.cfg");
    private static final int CLIENTS = 6;
    private static final int ROUND_TRIPS = 15;

    @TempDir
    Path dir;

    @Test
    void pollingSessionsStayOnTheirServerThroughTheRecipe() throws Exception {
        String recipe = Files.readString(RECIPE);
        try (Cluster cluster = new Cluster(recipe)) {
            try (NodeScript clients = cluster.clients()) {
                for (int c = 0; c < CLIENTS; c++) {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        int client = c;
                        String tag = "t" + i;
                        JsonNode ack = clients.await(e -> e.path("event").asText().equals("ack")
                                && e.path("client").asInt() == client && e.path("tag").asText().equals(tag)
                                || e.path("event").asText().matches("connect_error|disconnect|failure"),
                                SioFixture.WAIT);
                        assertEquals("ack", ack.path("event").asText(), () -> ack + "\n" + clients.diagnostics());
                        assertTrue(ack.path("err").isNull(), () -> ack + "\n" + clients.diagnostics());
                        assertEquals("c" + client + "-" + tag, ack.path("args").path(0).asText());
                    }
                }
                assertEquals(List.of(), clients.events().stream()
                        .filter(e -> e.path("event").asText().matches("connect_error|disconnect|failure"))
                        .toList(), clients.diagnostics());
                // Round-robin handshakes: both servers hold sessions, so the cookie did the routing.
                assertEquals(2, cluster.served.size(), () -> "sessions on " + cluster.served);
            }
        }
    }

    @Test
    void withoutTheCookieRulesPollingSessionsBreak() throws Exception {
        String unsticky = Files.readString(RECIPE).lines().filter(l -> !l.trim().startsWith("stick"))
                .reduce("", (a, b) -> a + b + "\n");
        try (Cluster cluster = new Cluster(unsticky); NodeScript clients = cluster.clients()) {
            JsonNode failure = clients.await(e -> e.path("event").asText().matches("connect_error|disconnect")
                    || e.path("event").asText().equals("ack") && !e.path("err").isNull(), SioFixture.WAIT);
            System.out.println("without the stick rules: " + failure);
        }
    }

    /** Two servers with the session cookie, and HAProxy from the given configuration in front of them. */
    private final class Cluster implements AutoCloseable {
        final Set<Integer> served = ConcurrentHashMap.newKeySet();
        private final List<SocketIoServer> servers = new ArrayList<>();
        private final Process haproxy;
        private final int port;

        Cluster(String config) throws Exception {
            List<Integer> ports = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                int index = n;
                SocketIoServer io = SocketIoServer.builder()
                        .engine(e -> e.cookie(EngineOptions.CookieOptions.DEFAULT)).build();
                io.onConnection(socket -> {
                    served.add(index);
                    socket.on("echo", (args, ack) -> ack.send(args.get(0).asText()));
                });
                servers.add(io);
                ports.add(io.listen(new InetSocketAddress("127.0.0.1", 0), null));
            }
            port = freePort();
            String local = config.replace("bind :8080", "bind 127.0.0.1:" + port)
                    .replace("127.0.0.1:3001", "127.0.0.1:" + ports.get(0))
                    .replace("127.0.0.1:3002", "127.0.0.1:" + ports.get(1));
            Path cfg = dir.resolve("haproxy-" + port + ".cfg");
            Files.writeString(cfg, local, StandardCharsets.UTF_8);
            if (!Files.isExecutable(HAPROXY)) {
                fail(HAPROXY + " is missing: this test needs Debian's haproxy package (.ci/run installs it)");
            }
            haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy-" + port + ".log").toFile()).start();
            SioFixture.eventually(() -> {
                assertTrue(haproxy.isAlive(), () -> "haproxy exited: " + log());
                try (Socket s = new Socket("127.0.0.1", port)) {
                    assertTrue(s.isConnected());
                } catch (IOException notYet) {
                    throw new AssertionError("not listening yet: " + notYet);
                }
            }, "haproxy did not listen");
        }

        /** CLIENTS polling-only clients through HAProxy, each making ROUND_TRIPS acknowledged emits. */
        NodeScript clients() throws Exception {
            List<Map<String, Object>> commands = new ArrayList<>();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                commands.add(Map.of("op", "emit", "event", "echo", "ack", true, "tag", "t" + i,
                        "args", List.of("c%d-t" + i), "timeout", 5000));
            }
            // Each client's own index in what it sends: one --do per client.
            List<Map<String, Object>> all = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                for (Map<String, Object> cmd : commands) {
                    Map<String, Object> mine = new java.util.HashMap<>(cmd);
                    mine.put("client", c);
                    mine.put("args", List.of(((String) ((List<?>) cmd.get("args")).get(0)).replace("%d",
                            String.valueOf(c))));
                    all.add(mine);
                }
            }
            return NodeScript.start("sio-puppet.mjs", "--url=http://127.0.0.1:" + port,
                    "--clients=" + CLIENTS, "--transports=polling", "--credentials=true", "--limit=30000",
                    "--do=" + Puppet.JSON.writeValueAsString(all));
        }

        private String log() {
            try {
                return Files.readString(dir.resolve("haproxy-" + port + ".log"));
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws IOException {
            haproxy.destroy();
            try {
                if (!haproxy.waitFor(5, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SocketIoServer io : servers) {
                io.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
