package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.NodeScript;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server is ready the moment it listens (issue 14, point 7): a fresh JVM, and at once a burst of 60 official
 * clients (polling, then the upgrade), each sending one acknowledged message. Before the startup warm-up, the first
 * burst lost clients to ping timeouts while the JVM loaded and compiled the request path. How fast the acks come is
 * the cold-start benchmark's business; here every client must be served and none dropped, the burst must find the
 * request path already loaded, and the warm-up must never reach the application.
 */
class ColdStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The setup has a 200 ms ping timeout; on two cores shared with the 60 Node clients that window is a
     * timing test, and it failed one start in about fifteen even warmed. Timing is the cold-start benchmark's
     * (BENCHMARKS.md: 5 of 5 starts at 300/200 ms); here the timeout is generous and the first-time work is read
     * directly, as the classes the burst still had to load.
     */
    private static final int PING_TIMEOUT_MILLIS = Integer.getInteger("coldstart.pingTimeout", 1000);

    @Test
    void theFirstBurstAfterAStartIsServedWhole() throws Exception {
        for (int start = 1; start <= 2; start++) {
            Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx256m", "-Dcoldstart.pingTimeout=" + PING_TIMEOUT_MILLIS,
                    "-Dhibiki.warmup.rounds=" + Integer.getInteger("hibiki.warmup.rounds", 8),
                    "-cp", System.getProperty("java.class.path"),
                    ColdStartServer.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // Whatever happens, the server does not outlive the test (its reads then end).
            java.util.concurrent.CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS).execute(server::destroyForcibly);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                        StandardCharsets.UTF_8));
                int port = JSON.readTree(awaitLine(out, "listening")).get("port").asInt();
                try (NodeScript burst = NodeScript.start("cold-burst.mjs", "--url=http://127.0.0.1:" + port,
                        "--clients=60", "--within=1000", "--limit=10000")) {
                    JsonNode done = burst.await("done", Duration.ofSeconds(30));
                    assertEquals(60, done.get("acked").asInt(), "start " + start + ": " + done);
                    assertEquals(0, done.get("disconnects").asInt(), "start " + start + ": " + done);
                    assertEquals(0, burst.awaitExit(Duration.ofSeconds(10)));
                }
                JsonNode stats = stats(server, out);
                assertEquals(60, stats.get("middleware").asInt(), "only the clients reach the middleware: " + stats);
                assertEquals(60, stats.get("connections").asInt(), "only the clients reach the app: " + stats);
                // The first-time work was done before listen returned: without the warm-up this burst loaded
                // about 720 classes (measured), with it about 20.
                assertTrue(stats.get("classesLoadedSinceListen").asInt() < 100,
                        "the first burst still loaded the request path: " + stats);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (stats.get("sessions").asInt() != 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    stats = stats(server, out);
                }
                assertEquals(0, stats.get("sessions").asInt(), "no session is left behind: " + stats);
            } finally {
                server.getOutputStream().close();
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static JsonNode stats(Process server, BufferedReader out) throws Exception {
        OutputStream in = server.getOutputStream();
        in.write("stats\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        return JSON.readTree(awaitLine(out, "stats"));
    }

    /** The server's next line with this event; its output is only its own JSON lines. */
    private static String awaitLine(BufferedReader out, String event) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("\"event\":\"" + event + "\"")) {
                return line;
            }
        }
        throw new AssertionError("the server ended before " + event);
    }
}
