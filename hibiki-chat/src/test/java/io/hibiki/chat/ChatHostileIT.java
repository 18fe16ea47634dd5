package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static io.hibiki.chat.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.NodeScript;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile or careless client tries: oversized and forged payloads, bad uploads, floods, foreign origins. */
class ChatHostileIT {

    private static final String ALLOWED = "http://allowed.example";
    private static final String EVIL = "http://evil.example";
    private static final String STORED_URL = "/uploads/[A-Za-z0-9_-]{20}\\.(png|txt)";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SharedChat SHARED = new SharedChat("CORS_ORIGINS=" + ALLOWED, "UPLOAD_MAX_BYTES=1024",
                "EVENTS_PER_SECOND=5", "EVENT_BURST=20");
    private final ChatFixture chat = SHARED.server();
    private final ChatClients clients = SHARED.clients();

    // ---- messages ----

    @Test
    void anOversizedMessageIsRefused() {
        clients.connect("a", user("alice"));
        clients.ok("a", "join-room", "big");
        clients.refused("a", "message_too_long", "send-message-to-room",
                Map.of("room", "big", "message", "x".repeat(2001)));
        clients.ok("a", "send-message-to-room", Map.of("room", "big", "message", "y".repeat(2000)));
        clients.refused("a", "empty_message", "send-message-to-room", Map.of("room", "big", "message", "  "));
        assertEquals(1, clients.ok("a", "history", Map.of("room", "big")).path("messages").size());
    }

    @Test
    void unknownAndInvalidRoomsAreRefused() {
        clients.connect("a", user("alice"));
        for (String bad : List.of("", "a:b", "user:" + userId("bob"), "dm:x:y", "x".repeat(65), "<script>", "../up")) {
            clients.refused("a", "invalid_room", "join-room", bad);
        }
        clients.refused("a", "invalid_room", "join-room", 42);
        String othersSocket = clients.connect("b", user("bob")).path("id").asText();
        clients.refused("a", "invalid_room", "join-room", othersSocket);
        clients.refused("a", "not_in_room", "send-message-to-room", Map.of("room", "never-joined", "message", "hi"));
        clients.refused("a", "invalid_room", "send-message-to-room", Map.of("message", "no room"));
        clients.refused("a", "not_in_room", "history", Map.of("room", "never-joined"));
        clients.refused("a", "invalid_room", "leave-room", "general");
    }

    @Test
    void markupIsStoredAndBroadcastVerbatim() {
        String text = "<b>bold</b><script>alert(1)</script><img src=x onerror=alert(2)> & \"q\" '";
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        clients.ok("a", "join-room", "markup");
        clients.ok("b", "join-room", "markup");
        clients.ok("a", "send-message-to-room", Map.of("room", "markup", "message", text));
        assertEquals(text, clients.awaitMessage("b", text).path("text").asText());
        assertEquals(text, clients.ok("b", "history", Map.of("room", "markup")).path("messages").path(0)
                .path("text").asText());
    }

    @Test
    void aForgedAuthorIsIgnored() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        clients.ok("a", "join-room", "forge");
        clients.ok("b", "join-room", "forge");
        clients.ok("a", "send-message-to-room", Map.of("room", "forge", "message", "who am i", "author", "admin",
                "userId", userId("admin"), "id", 1, "timestamp", 0));
        clients.ok("a", "send-message", Map.of("text", "general forge", "author", "admin"));
        for (JsonNode m : List.of(clients.awaitMessage("b", "who am i"), clients.awaitMessage("b", "general forge"))) {
            assertEquals("alice", m.path("author").asText());
            assertEquals(userId("alice"), m.path("userId").asText());
            assertTrue(m.path("timestamp").asLong() > 0);
        }
    }

    @Test
    void aFloodIsRateLimitedWhileOthersAreServed() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        clients.ok("b", "join-room", "calm");
        String flood = clients.flood("a", 80, "send-message", Map.of("text", "flood"));
        // A request over the limit is answered at once, not left waiting for an ack that never comes.
        JsonNode refused = clients.line(e -> e.path("event").asText().equals("ack") && e.path("tag").asText()
                .equals(flood) && !e.path("value").path("ok").asBoolean(true));
        assertEquals("rate_limited", refused.path("value").path("error").asText(), refused.toString());
        clients.ok("b", "send-message-to-room", Map.of("room", "calm", "message", "still here"));
        clients.awaitMessage("b", "still here");
        clients.awaitCount("b", "receive-message", m -> m.path("text").asText().equals("flood"), 20);
        long stored = clients.ok("b", "history", Map.of("room", "general", "limit", 200)).path("messages")
                .findValues("text").stream().filter(t -> t.asText().equals("flood")).count();
        assertTrue(stored >= 20 && stored < 80, () -> stored + " of 80 flood messages were stored");
    }

    @Test
    void aFloodWithoutAcksHearsOfItsRefusalsAtMostOnceASecond() {
        clients.connect("a", user("noacks"));
        clients.connect("b", user("listener"));
        clients.burst("a", 200, "send-message", Map.of("text", "unacked flood"));
        JsonNode error = clients.await("a", "chat-error", e -> true);
        assertEquals("rate_limited", error.path("error").asText());
        // Refusals happen as events arrive; by the time held ones are coming out, every refusal has happened.
        clients.awaitCount("b", "receive-message", m -> m.path("text").asText().equals("unacked flood"), 22);
        assertTrue(clients.received("a", "chat-error").size() <= 2,
                clients.received("a", "chat-error").size() + " notices for one burst");
    }

    // ---- uploads ----

    private HttpResponse<String> upload(byte[] body, String... headers) throws Exception {
        String[] all = java.util.Arrays.copyOf(ChatClients.uploadIdentity("uploader"), 4 + headers.length);
        System.arraycopy(headers, 0, all, 4, headers.length);
        return chat.post("/api/uploads", body, all);
    }

    @Test
    void tooLargeUploadsAre413() throws Exception {
        assertEquals(413, upload(TestFiles.bytes(1025, 'a'), "Content-Type", "text/plain").statusCode());
        assertEquals(413, upload(TestFiles.multipart("big.txt", "text/plain", TestFiles.bytes(2000, 'b')),
                "Content-Type", TestFiles.multipartType()).statusCode());
        assertEquals(201, upload(TestFiles.bytes(1024, 'c'), "Content-Type", "text/plain").statusCode());
        // Far over: refused from the Content-Length alone; the client still gets the answer, not a reset.
        for (int i = 0; i < 20; i++) {
            assertEquals(413, upload(TestFiles.bytes(300_000, 'd'), "Content-Type", "text/plain").statusCode());
        }
    }

    @Test
    void uploadsAnswerExpectContinue() throws Exception {
        // Raw HTTP: the status line that comes back before any body is sent is the point.
        try (RawHttp http = new RawHttp(chat.port())) {
            http.send(uploadHead(300_000));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", http.statusLine(), "refused before the body");
        }
        try (RawHttp http = new RawHttp(chat.port())) {
            http.send(uploadHead(5));
            assertEquals("HTTP/1.1 100 Continue", http.statusLine(), "the client may send the file");
            http.skipHeaders();
            http.send("small");
            assertEquals("HTTP/1.1 201 Created", http.statusLine());
        }
    }

    private static String uploadHead(int length) {
        String[] id = ChatClients.uploadIdentity("uploader");
        return "POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: " + length
                + "\r\n" + id[0] + ": " + id[1] + "\r\n" + id[2] + ": " + id[3] + "\r\nExpect: 100-continue\r\n\r\n";
    }

    @Test
    void unacceptedTypesAre415() throws Exception {
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        assertEquals(415, upload(html, "Content-Type", "text/html").statusCode());
        assertEquals(415, upload(html, "Content-Type", "image/svg+xml").statusCode());
        assertEquals(415, upload(TestFiles.multipart("x.html", "text/html", html),
                "Content-Type", TestFiles.multipartType()).statusCode());
    }

    @Test
    void clientFileNamesNeverBecomePaths() throws Exception {
        String traversal = "../../etc/passwd";
        List<HttpResponse<String>> responses = List.of(
                upload("raw".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain", "X-Filename", traversal),
                upload("enc".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain",
                        "X-Filename", "..%2F..%2Fetc%2Fpasswd"),
                upload(TestFiles.multipart(traversal, "text/plain", "multi".getBytes(StandardCharsets.UTF_8)),
                        "Content-Type", TestFiles.multipartType()),
                upload(TestFiles.multipart("..\\..\\win.ini", "text/plain", "win".getBytes(StandardCharsets.UTF_8)),
                        "Content-Type", TestFiles.multipartType()));
        for (HttpResponse<String> res : responses) {
            assertEquals(201, res.statusCode(), res.body());
            JsonNode body = JSON.readTree(res.body());
            assertTrue(body.path("url").asText().matches(STORED_URL), body.toString());
            assertFalse(body.path("name").asText().contains("/") || body.path("name").asText().contains("\\"),
                    body.toString());
            // Netty reads the quoted multipart filename "..\\..\\win.ini" as "....win.ini": still one plain name.
            assertTrue(body.path("name").asText().matches("(passwd|\\.*win\\.ini)"), body.toString());
        }
        try (Stream<Path> files = Files.list(chat.config().uploadDir())) {
            // Everything there is a generated name (.incoming holds bodies while they arrive, under names of its own).
            assertTrue(files.filter(f -> !f.getFileName().toString().equals(".incoming"))
                    .allMatch(f -> ("/uploads/" + f.getFileName()).matches(STORED_URL)));
        }
        assertFalse(Files.exists(chat.config().uploadDir().resolve(traversal).normalize()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/uploads/../hibiki-chat.mv.db", "/uploads/..%2Fhibiki-chat.mv.db",
        "/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/uploads/passwd", "/uploads/abcdefghijklmnopqrst.png",
        "/uploads/", "/uploads/..", "/../../etc/passwd", "/uploads/../index.html"})
    void onlyGeneratedNamesAreServed(String path) throws Exception {
        assertEquals(404, chat.get(path).statusCode(), path);
    }

    @Test
    void servedUploadsAreTypedAndNotSniffed() throws Exception {
        byte[] png = TestFiles.png();
        JsonNode image = JSON.readTree(upload(png, "Content-Type", "image/png", "X-Filename", "a.png").body());
        HttpResponse<byte[]> img = chat.getBytes(image.path("url").asText());
        assertEquals(200, img.statusCode());
        assertArrayEquals(png, img.body());
        assertEquals("image/png", img.headers().firstValue("Content-Type").orElse(""));
        assertEquals("nosniff", img.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertFalse(img.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        assertTrue(img.headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"));

        JsonNode text = JSON.readTree(upload("<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain", "X-Filename", "notes.txt").body());
        HttpResponse<String> txt = chat.get(text.path("url").asText());
        assertEquals(200, txt.statusCode());
        assertTrue(txt.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals("nosniff", txt.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(txt.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
    }

    @Test
    void uploadsFromForeignOriginsAreRefused() throws Exception {
        byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
        assertEquals(403, upload(body, "Content-Type", "text/plain", "Origin", EVIL).statusCode());
        assertEquals(201, upload(body, "Content-Type", "text/plain", "Origin", ALLOWED).statusCode());
        assertEquals(201, upload(body, "Content-Type", "text/plain", "Origin", chat.url()).statusCode());
    }

    // ---- origins on the Socket.IO endpoint ----

    private static final String POLL = "/socket.io/?EIO=4&transport=polling";

    @Test
    void pollingHandshakesFromForeignOriginsAreRefused() throws Exception {
        assertEquals(403, chat.get(POLL, "Origin", EVIL).statusCode());
        HttpResponse<String> ok = chat.get(POLL, "Origin", ALLOWED);
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().startsWith("0{"), ok.body());
        assertEquals(ALLOWED, ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    private String pollingSession() throws Exception {
        HttpResponse<String> open = chat.get(POLL);
        assertEquals(200, open.statusCode());
        return JSON.readTree(open.body().substring(1)).path("sid").asText();
    }

    @Test
    void pollingRequestsOfASessionFromForeignOriginsAreRefused() throws Exception {
        String sid = pollingSession();
        String path = POLL + "&sid=" + sid;
        byte[] connect = "40".getBytes(StandardCharsets.UTF_8);
        assertEquals(403, chat.post(path, connect, "Origin", EVIL, "Content-Type", "text/plain").statusCode());
        assertEquals(403, chat.get(path, "Origin", EVIL).statusCode());
        assertEquals(200, chat.post(path, connect, "Origin", ALLOWED, "Content-Type", "text/plain").statusCode());
        HttpResponse<String> packets = chat.get(path, "Origin", ALLOWED);
        assertEquals(200, packets.statusCode());
        assertTrue(packets.body().startsWith("40{"), packets.body());
    }

    private JsonNode webSocket(String origin, String sid) {
        try (NodeScript ws = NodeScript.start("chat-ws-origin.mjs", "--url=" + chat.url(), "--origin=" + origin,
                "--sid=" + sid)) {
            return ws.await(e -> !e.path("event").asText().equals("timeout"), ChatClients.WAIT);
        }
    }

    @Test
    void webSocketsFromForeignOriginsAreRefused() throws Exception {
        JsonNode refused = webSocket(EVIL, "");
        assertEquals("refused", refused.path("event").asText(), refused.toString());
        assertEquals(403, refused.path("status").asInt());
        JsonNode opened = webSocket(ALLOWED, "");
        assertEquals("open", opened.path("event").asText(), opened.toString());
        assertTrue(opened.path("first").asText().startsWith("0{"), opened.toString());

        JsonNode upgrade = webSocket(EVIL, pollingSession());
        assertEquals(403, upgrade.path("status").asInt(), upgrade.toString());
        JsonNode allowedUpgrade = webSocket(ALLOWED, pollingSession());
        assertEquals("3probe", allowedUpgrade.path("first").asText(), allowedUpgrade.toString());
    }

    @Test
    void socketIoClientsFromForeignOriginsCannotConnect() {
        clients.open("evil", Map.of("auth", user("mallory"), "extraHeaders", Map.of("Origin", EVIL)));
        JsonNode error = clients.line(e -> e.path("c").asText().equals("evil")
                && List.of("connect", "connect_error").contains(e.path("event").asText()));
        assertEquals("connect_error", error.path("event").asText(), error.toString());
        clients.open("good", Map.of("auth", user("alice"), "extraHeaders", Map.of("Origin", ALLOWED)));
        assertNotEquals("", clients.connected("good", 1).path("id").asText());
    }
}
