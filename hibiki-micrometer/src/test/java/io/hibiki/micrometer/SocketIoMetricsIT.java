package io.hibiki.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.NodeScript;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A scripted session with the official JS client, read back from the Prometheus exposition: the meters have the
 * documented names, tags and values, and a client sending many event names cannot grow the tag set past its bound.
 */
class SocketIoMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERIES = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$");
    private static final int JUNK = 12;
    private static final int MAX_EVENT_NAMES = 5;

    @Test
    void aScriptedSessionShowsInPrometheusWithBoundedTags() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SocketIoServer io = SocketIoServer.builder()
                .observer(SocketIoMetrics.builder(registry).maxEventNames(MAX_EVENT_NAMES).build()).build();
        BlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();
        io.onConnection(socket -> {
            sockets.add(socket);
            socket.on("chat", (args, ack) -> ack.send("ok"));
        });
        io.of("/admin").onConnection(socket -> { });
        int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
        List<Map<String, Object>> script = new ArrayList<>();
        script.add(Map.of("op", "emit", "event", "chat", "ack", true, "args", List.of("hello")));
        for (int i = 0; i < JUNK; i++) {
            script.add(Map.of("op", "emit", "event", "junk-" + i, "ack", false, "args", List.of()));
        }
        String url = "--url=http://127.0.0.1:" + port;
        try (NodeScript clients = NodeScript.start("sio-puppet.mjs", url, "--clients=2",
                "--do=" + JSON.writeValueAsString(script));
             NodeScript admin = NodeScript.start("sio-puppet.mjs", url, "--nsp=/admin")) {
            for (int c = 0; c < 2; c++) {
                int client = c;
                clients.await(e -> e.path("event").asText().equals("ack") && e.path("client").asInt() == client,
                        WAIT);
            }
            admin.await(e -> e.path("event").asText().equals("connect"), WAIT);
            // Both clients have answered, so both are connected: each broadcast reaches two sockets.
            io.emit("news", "one");
            io.emit("news", "two");
            Socket first = sockets.poll(5, TimeUnit.SECONDS);
            Socket second = sockets.poll(5, TimeUnit.SECONDS);
            assertEquals("x", first.timeout(WAIT).emitWithAck("question", "x").get(10, TimeUnit.SECONDS)
                    .getString(0));
            second.emit("cmd", Map.of("op", "disconnect"));

            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                Map<String, Double> m = series(registry.scrape());
                assertEquals(1.0, m.get("socketio_sockets_connected{namespace=\"/\"}"), m::toString);
                assertEquals(1.0, m.get("socketio_sockets_connected{namespace=\"/admin\"}"), m::toString);
                assertEquals(2.0, m.get("socketio_connects_total{namespace=\"/\"}"), m::toString);
                assertEquals(1.0, m.get("socketio_disconnects_total{namespace=\"/\",reason=\"client namespace "
                        + "disconnect\"}"), m::toString);
                assertEquals(2.0, m.get("socketio_events_received_total{event=\"chat\",namespace=\"/\"}"), m::toString);
                // Two broadcasts of "news" to the two sockets.
                assertEquals(4.0, m.get("socketio_events_sent_total{event=\"news\",namespace=\"/\"}"), m::toString);
                assertEquals(1.0, m.get("socketio_ack_duration_seconds_count{namespace=\"/\"}"), m::toString);
                // Bytes: every event in and out has a payload (a Socket.IO packet is at least a few bytes).
                double sentEvents = m.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("socketio_events_sent_total"))
                        .mapToDouble(Map.Entry::getValue).sum();
                assertTrue(m.get("socketio_payload_sent_bytes_total{namespace=\"/\"}") >= 5 * sentEvents, m::toString);
                assertTrue(m.get("socketio_payload_received_bytes_total") >= 5 * (2 + 2 * JUNK), m::toString);
                // Every event received is counted, under at most MAX_EVENT_NAMES names and _other; the junk did not
                // push the server's own "news" into _other (asserted above).
                double received = 0;
                Set<String> names = new TreeSet<>();
                for (Map.Entry<String, Double> e : m.entrySet()) {
                    if (e.getKey().startsWith("socketio_events_received_total")) {
                        Matcher name = Pattern.compile("event=\"([^\"]*)\"").matcher(e.getKey());
                        assertTrue(name.find());
                        names.add(name.group(1));
                        if (e.getKey().startsWith("socketio_events_received_total{")
                                && e.getKey().contains("namespace=\"/\"")) {
                            received += e.getValue();
                        }
                    }
                }
                assertEquals(2.0 + 2 * JUNK, received, m::toString);
                assertTrue(names.contains(SocketIoMetrics.OTHER), names::toString);
                assertTrue(names.size() <= MAX_EVENT_NAMES + 1, names::toString);
            });
            JsonNode gone = clients.await(e -> e.path("event").asText().equals("disconnect"), WAIT);
            assertEquals("io client disconnect", gone.path("reason").asText());
        } finally {
            io.close();
        }
    }

    /** {@code name{labels}} to value, from the Prometheus text format. */
    private static Map<String, Double> series(String scrape) {
        Map<String, Double> out = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (m.matches()) {
                out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return out;
    }
}
