package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.TestCertificates;
import io.hibiki.testsupport.TestCertificates.Issued;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat with {@code TLS_CERT} / {@code TLS_KEY} from a throwaway CA: pages, polling and uploads answer over
 * HTTPS with {@code Strict-Transport-Security}, nothing is served in the clear on that port, the optional plain
 * port only redirects (and only for the chat's own host names), and the page works in Chromium trusting that CA.
 * Behind a proxy: the scheme it reports counts only when the proxy is trusted.
 */
class ChatTlsIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "e2e-tls.png").toAbsolutePath();

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static ChatFixture chat;
    private static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.newAuthority("Hibiki ChatTlsIT CA");
        Issued cert = ca.issueServer(dir, "chat", TestCertificates.KeyFormat.TRADITIONAL);
        chat = ChatFixture.start(dir.resolve("data"), "TLS_CERT=" + cert.chainFile(), "TLS_KEY=" + cert.keyFile(),
                "HTTP_REDIRECT_PORT=" + freePort());
        https = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return https.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesAndPollingAnswerOverHttpsWithHsts() throws Exception {
        assertTrue(chat.url().startsWith("https://"), chat.url());
        HttpResponse<String> page = get(chat.url() + "/");
        assertEquals(200, page.statusCode());
        assertEquals("max-age=31536000", page.headers().firstValue("Strict-Transport-Security").orElse(null));
        HttpResponse<String> handshake = get(chat.url() + "/socket.io/?EIO=4&transport=polling");
        assertEquals(200, handshake.statusCode(), handshake.body());
        assertTrue(handshake.body().startsWith("0{\"sid\""), handshake.body());
        assertEquals("max-age=31536000", handshake.headers().firstValue("Strict-Transport-Security").orElse(null),
                "the Engine.IO answers carry it too");
    }

    @Test
    void theSignInCookieIsSecureOverHttps() throws Exception {
        HttpResponse<String> up = https.send(HttpRequest.newBuilder(URI.create(chat.url() + "/api/auth/signup"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"tess\",\"password\":\"tess password\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, up.statusCode(), up.body());
        String cookie = up.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("hibiki_session=") && cookie.contains("Secure")
                && cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly") && cookie.contains("SameSite=Lax"),
                cookie);
    }

    @Test
    void theHttpsPortServesNothingInTheClear() throws Exception {
        try (RawHttp raw = new RawHttp(chat.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String answer = raw.readAll(Duration.ofSeconds(5));
            assertFalse(answer.contains("200 OK") || answer.contains("<html"), "plain HTTP answered: " + answer);
        }
    }

    @Test
    void thePlainPortOnlyRedirectsAndOnlyForTheChatsOwnNames() throws Exception {
        int plain = chat.server().redirectPort();
        try (RawHttp raw = new RawHttp(plain)) {
            raw.send("GET /rooms?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + plain + "\r\n\r\n");
            String answer = raw.readAll(Duration.ofSeconds(5));
            assertTrue(answer.startsWith("HTTP/1.1 308"), answer);
            assertTrue(answer.contains("location: https://127.0.0.1:" + chat.port() + "/rooms?x=1")
                    || answer.contains("Location: https://127.0.0.1:" + chat.port() + "/rooms?x=1"), answer);
        }
        try (RawHttp raw = new RawHttp(plain)) {
            raw.send("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
            String answer = raw.readAll(Duration.ofSeconds(5));
            assertTrue(answer.startsWith("HTTP/1.1 421"), "no redirect to someone else's name: " + answer);
        }
    }

    @Test
    void tlsSettingsThatCannotWorkAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class,
                () -> ChatFixture.start(dir.resolve("x"), "TLS_CERT=" + dir.resolve("chat.crt")));
        assertThrows(IllegalArgumentException.class, () -> ChatFixture.start(dir.resolve("y"),
                "HTTP_REDIRECT_PORT=8080"));
        Exception e = assertThrows(Exception.class, () -> ChatFixture.start(dir.resolve("z"),
                "TLS_CERT=" + dir.resolve("chat.crt"), "TLS_KEY=" + dir.resolve("missing.key")));
        assertTrue(String.valueOf(e.getMessage()).contains("missing.key"), e.toString());
    }

    @Test
    void behindAProxyTheSchemeCountsOnlyWhenTheProxyIsTrusted(@TempDir Path data) throws Exception {
        try (ChatFixture trusted = ChatFixture.start(data.resolve("a"), "TRUSTED_PROXIES=127.0.0.1");
             ChatFixture untrusted = ChatFixture.start(data.resolve("b"), "TRUSTED_PROXIES=10.0.0.0/8")) {
            HttpResponse<String> viaProxy = trusted.get("/", "X-Forwarded-Proto", "https");
            assertEquals("max-age=31536000", viaProxy.headers().firstValue("Strict-Transport-Security")
                    .orElse(null));
            assertNull(trusted.get("/").headers().firstValue("Strict-Transport-Security").orElse(null),
                    "the proxy said nothing: plain HTTP");
            assertNull(untrusted.get("/", "X-Forwarded-Proto", "https").headers()
                    .firstValue("Strict-Transport-Security").orElse(null), "anyone can write the header");
        }
    }

    @Test
    void thePageWorksInChromiumTrustingTheTestCa() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the browser test needs Debian's chromium package (CI installs it)");
        }
        Files.createDirectories(SCREENSHOT.getParent());
        try (NodeScript refused = NodeScript.start("chat-tls-browser.mjs", "--url=" + chat.url(),
                "--chromium=" + CHROMIUM, "--trust=false")) {
            assertNotNull(refused.await(e -> e.path("event").asText().equals("step")
                    && e.path("name").asText().equals("refused"), Duration.ofSeconds(60)),
                    "without trusting the CA the page must not load: " + refused.diagnostics());
        }
        try (NodeScript browser = NodeScript.start("chat-tls-browser.mjs", "--url=" + chat.url(),
                "--chromium=" + CHROMIUM, "--spki=" + ca.spkiSha256(), "--screenshot=" + SCREENSHOT)) {
            Duration wait = Duration.ofSeconds(60);
            for (String step : List.of("launch", "open", "message")) {
                JsonNode line = browser.await(e -> e.path("event").asText().equals("step")
                        && e.path("name").asText().equals(step), wait);
                assertNotNull(line, step + ": " + browser.diagnostics());
                System.out.println("browser " + line);
                if (step.equals("open")) {
                    assertEquals("max-age=31536000", line.path("hsts").asText(), line.toString());
                }
            }
            browser.await("done", wait);
            assertEquals(0, browser.awaitExit(Duration.ofSeconds(10)), browser.diagnostics());
            List<JsonNode> errors = browser.events().stream()
                    .filter(e -> List.of("pageerror", "console-error").contains(e.path("event").asText())).toList();
            assertEquals(List.of(), errors, "the page logged errors");
        }
        assertTrue(chat.server().store().history("general", null, 50).stream()
                .anyMatch(m -> m.text().equals("hello over TLS") && m.author().equals("Tess")));
    }
}
