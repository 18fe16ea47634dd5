package io.hibiki.bench.startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.Args;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A deploy or a restart as clients meet it: a fresh server process, and the moment it listens, 60 official JS
 * clients at once (polling, then the upgrade), each emitting one acknowledged message, with heartbeats of 300 ms
 * and a 200 ms timeout (issue 14, point 7). Each start is a new process; Hibiki with its startup warm-up, Hibiki
 * without it ({@code -Dhibiki.warmup.rounds=0}), and Node, one after the other, {@code --starts} times each.
 * Usage: {@code java -jar hibiki-bench.jar cold-start [--starts=5] [--clients=60] [--node-dir=DIR]
 * [--hibiki-launcher=hibiki-chat/target/hibiki-chat-dist/hibiki-chat/bin/hibiki-chat]}
 */
public final class ColdStart {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ColdStart() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        int starts = a.getInt("starts", 5);
        int clients = a.getInt("clients", 60);
        Path nodeDir = Path.of(a.get("node-dir", "hibiki-test-support/node")).toAbsolutePath().normalize();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The chat distribution's JVM settings (its jvm.options), as the other scenarios use.
        List<String> hibiki = new ArrayList<>(List.of(java));
        hibiki.addAll(io.hibiki.chat.JvmSettings.distribution());
        hibiki.addAll(List.of("-cp", io.hibiki.bench.OwnClassPath.absolute(), "io.hibiki.bench.BenchServer"));
        List<String> cold = new ArrayList<>(hibiki);
        cold.add(1, "-Dhibiki.warmup.rounds=0");
        List<String> node = List.of("node", nodeDir.resolve("scripts/bench-node-server.mjs").toString());
        Map<String, List<String>> servers = new LinkedHashMap<>();
        servers.put("hibiki", hibiki);
        servers.put("hibiki-no-warmup", cold);
        if (a.has("hibiki-launcher")) {
            // The chat distribution's launcher, running the benchmark server with the distribution's settings.
            servers.put("hibiki-distribution", List.of("env", "HIBIKI_MAIN_CLASS=io.hibiki.bench.BenchServer",
                    "HIBIKI_EXTRA_CLASSPATH=" + io.hibiki.bench.OwnClassPath.absolute(),
                    Path.of(a.get("hibiki-launcher", null)).toAbsolutePath().toString()));
        }
        servers.put("node", node);
        for (var server : servers.entrySet()) {
            for (int i = 1; i <= starts; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("server", server.getKey());
                row.put("start", i);
                row.putAll(once(server.getValue(), nodeDir, clients));
                System.out.println(JSON.writeValueAsString(row));
            }
        }
    }


    /** One fresh process and one burst; the process is ended by its own handle. */
    private static Map<String, Object> once(List<String> command, Path nodeDir, int clients) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--port=0", "--ping-interval=300", "--ping-timeout=200"));
        long started = System.nanoTime();
        Process server = new ProcessBuilder(cmd).directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            String line;
            while (port < 0 && (line = out.readLine()) != null) {
                if (line.startsWith("{") && line.contains("\"listening\"")) {
                    port = JSON.readTree(line).get("port").asInt();
                }
            }
            if (port < 0) {
                throw new IllegalStateException("server ended before listening: " + cmd);
            }
            long listening = System.nanoTime();
            Process burst = new ProcessBuilder("node", nodeDir.resolve("scripts/cold-burst.mjs").toString(),
                    "--url=http://127.0.0.1:" + port, "--clients=" + clients, "--within=1000", "--limit=5000")
                    .directory(nodeDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            JsonNode done = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(burst.getInputStream(),
                    StandardCharsets.UTF_8))) {
                while ((line = r.readLine()) != null) {
                    if (line.contains("\"done\"")) {
                        done = JSON.readTree(line);
                    }
                }
            }
            if (!burst.waitFor(15, TimeUnit.SECONDS)) {
                burst.destroyForcibly();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("listening_after_ms", TimeUnit.NANOSECONDS.toMillis(listening - started));
            row.put("acked_within_1s", done == null ? -1 : done.get("ackedWithin").asInt());
            row.put("acked", done == null ? -1 : done.get("acked").asInt());
            row.put("last_ack_ms", done == null ? -1 : done.get("lastAckMs").asInt());
            row.put("disconnects", done == null ? -1 : done.get("disconnects").asInt());
            return row;
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
