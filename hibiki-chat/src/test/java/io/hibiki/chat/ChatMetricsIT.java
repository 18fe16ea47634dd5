package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} ({@code METRICS=on}): off by default; this host reads the Prometheus exposition (Socket.IO
 * meters counting what a client just did, the JVM's); anyone else, including any request a trusted proxy relays
 * (whatever its forwarding header says), is refused unless a {@code METRICS_TOKEN} is set and presented.
 */
class ChatMetricsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(ChatFixture chat, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(chat.url() + "/metrics")).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(exposition);
        assertTrue(m.find(), () -> series + " not in\n" + exposition);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void offByDefault() throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir)) {
            assertEquals(404, get(chat).statusCode());
        }
    }

    @Test
    void thisHostReadsWhatTheServerDid() throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "METRICS=on");
             ChatClients clients = chat.clients()) {
            clients.connect("alice", user("alice"));
            clients.ok("alice", "send-message-to-room", Map.of("room", "general", "message", "counted"));
            HttpResponse<String> r = get(chat);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = r.body();
            assertEquals(1.0, value(body, "socketio_sockets_connected{namespace=\"/\"}"));
            assertTrue(value(body, "socketio_events_received_total{event=\"send-message-to-room\",namespace=\"/\"}")
                    >= 1);
            // The message went to the room: alice's socket is in it.
            assertTrue(value(body, "socketio_events_sent_total{event=\"receive-message\",namespace=\"/\"}") >= 1);
            assertTrue(body.contains("jvm_memory_used_bytes"), "JVM meters");
            assertTrue(body.contains("process_uptime_seconds"), "process meters");
        }
    }

    @Test
    void aRequestATrustedProxyRelaysIsNeverThisHost() throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "METRICS=on", "TRUSTED_PROXIES=127.0.0.1")) {
            assertEquals(403, get(chat, "X-Forwarded-For", "203.0.113.9").statusCode());
            // Without a forwarding header, or with one naming loopback, the client is still someone else.
            assertEquals(403, get(chat).statusCode());
            assertEquals(403, get(chat, "X-Forwarded-For", "127.0.0.1").statusCode());
        }
    }

    @Test
    void aTokenOpensItAndNothingElseDoes() throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "METRICS=on", "METRICS_TOKEN=s3cret-metrics")) {
            HttpResponse<String> none = get(chat);
            assertEquals(401, none.statusCode());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, get(chat, "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, get(chat, "Authorization", "Basic czNjcmV0LW1ldHJpY3M=").statusCode());
            HttpResponse<String> ok = get(chat, "Authorization", "Bearer s3cret-metrics");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("jvm_memory_used_bytes"), ok.body());
        }
    }
}
