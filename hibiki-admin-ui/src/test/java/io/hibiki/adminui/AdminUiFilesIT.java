package io.hibiki.adminui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.RawHttp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UI's files served from the jar: the page without links to other hosts, its scripts, and nothing else. */
class AdminUiFilesIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private SocketIoServer io;
    private String base;

    @BeforeEach
    void start() {
        io = SocketIoServer.builder().build();
        int port = io.listen(new InetSocketAddress("127.0.0.1", 0), AdminUiFiles.at("/admin-ui"));
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        io.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsScriptsComeFromTheJarAndNameNoOtherHost() throws Exception {
        HttpResponse<String> bare = get("/admin-ui");
        assertEquals(301, bare.statusCode());
        assertEquals("/admin-ui/", bare.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> page = get("/admin-ui/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(page.body().contains("<div id=\"app\">"), page.body());
        assertFalse(page.body().contains("http://") || page.body().contains("https://"),
                "the page loads nothing from another host: " + page.body());

        Matcher scripts = Pattern.compile("<script src=\"?(js/[^\" >]+)").matcher(page.body());
        int found = 0;
        while (scripts.find()) {
            HttpResponse<String> js = get("/admin-ui/" + scripts.group(1));
            assertEquals(200, js.statusCode(), scripts.group(1));
            assertEquals("application/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("nosniff", js.headers().firstValue("X-Content-Type-Options").orElseThrow());
            found++;
        }
        assertEquals(2, found, "the page's two scripts");
    }

    @Test
    void nothingOutsideTheUiIsReachable() throws Exception {
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        // Raw requests: an HTTP client would normalise the dot segments away before sending.
        for (String path : new String[] {"/admin-ui/../pom.xml", "/admin-ui/js/../../META-INF/MANIFEST.MF",
                "/admin-ui/%2e%2e/x", "/admin-ui/nope.js", "/admin-ui/js/app.js.map"}) {
            try (RawHttp raw = RawHttp.open(port, Duration.ofSeconds(10))) {
                RawHttp.Response answer = raw.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
                assertEquals(404, answer.status(), path + " → " + answer.body());
            }
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/admin-ui/"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        // Other paths are the server's as before.
        assertEquals(404, get("/elsewhere").statusCode());
        assertEquals(200, get("/socket.io/?EIO=4&transport=polling").statusCode());
    }
}
