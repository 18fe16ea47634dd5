package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.PrivateRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/health} for load balancers: 200 and every part up on a working instance; with Redis gone, 503
 * and {@code cluster: down} (this instance's broadcasts no longer reach the others), and up again once Redis is back.
 */
class ChatHealthIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static HttpResponse<String> health(ChatFixture chat) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(chat.url() + "/api/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInstanceIsUpAndSaysWhatIsDownWhenRedisGoes() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start();
             ChatFixture chat = ChatFixture.start(dir, "REDIS_URL=" + redis.url())) {
            HttpResponse<String> up = health(chat);
            assertEquals(200, up.statusCode(), up.body());
            assertEquals(JSON.readTree("{\"status\":\"up\",\"eventLoops\":\"up\",\"cluster\":\"up\","
                    + "\"database\":\"up\"}"), JSON.readTree(up.body()));
            redis.kill();
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HttpResponse<String> down = health(chat);
                assertEquals(503, down.statusCode(), down.body());
                JsonNode body = JSON.readTree(down.body());
                assertEquals("down", body.path("cluster").asText());
                assertEquals("up", body.path("database").asText());
            });
            redis.boot();
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertEquals(200, health(chat).statusCode()));
        }
    }
}
