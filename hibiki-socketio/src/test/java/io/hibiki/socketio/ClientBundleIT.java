package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The official browser client served from the jar at {@code <path>/socket.io(.min).js}. */
class ClientBundleIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(SioFixture fx, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(fx.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheMinifiedBundle() throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            HttpResponse<String> res = get(fx, "/socket.io/socket.io.min.js");
            assertEquals(200, res.statusCode());
            assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("application/javascript"),
                    res.headers().map().toString());
            assertTrue(res.body().length() > 20_000, "a real bundle, not a stub: " + res.body().length());
            assertTrue(res.body().contains("4.8.1"), "the pinned client version");
            HttpResponse<String> full = get(fx, "/socket.io/socket.io.js");
            assertEquals(200, full.statusCode());
            assertTrue(full.body().length() > res.body().length());
        }
    }

    @Test
    void followsTheConfiguredPathAndCanBeTurnedOff() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.path("/api/socket_io"))) {
            assertEquals(200, get(fx, "/api/socket_io/socket.io.min.js").statusCode());
            assertNotEquals(200, get(fx, "/socket.io/socket.io.min.js").statusCode());
        }
        try (SioFixture fx = SioFixture.start(b -> b.serveClient(false))) {
            assertNotEquals(200, get(fx, "/socket.io/socket.io.min.js").statusCode());
        }
    }
}
