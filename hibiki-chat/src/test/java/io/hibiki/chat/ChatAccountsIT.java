package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Accounts over HTTP and Socket.IO, on the embedded H2 store and on PostgreSQL: sign-up, sign-in, sessions that
 * survive restarts and work on a second instance, sign-out and password changes that end connections, limits on
 * wrong passwords that an attacker at another address cannot turn against the owner, handles that cannot be
 * imitated, and guests as the tutorial's client knows them.
 */
class ChatAccountsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ChatFixture start(String store, String... settings) throws Exception {
        return ChatFixture.onStore(store, "hibiki_accounts_it", dir.resolve("data"), settings);
    }

    /** A JSON POST to an account route; headers as name/value pairs. */
    static HttpResponse<String> post(ChatFixture chat, String route, Map<String, Object> body, String... headers)
            throws Exception {
        List<String> h = new ArrayList<>(List.of("Content-Type", "application/json"));
        h.addAll(List.of(headers));
        return chat.post("/api/auth/" + route, JSON.writeValueAsBytes(body), h.toArray(String[]::new));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** The {@code name=value} of the session cookie an answer sets (for a Cookie header). */
    static String cookie(HttpResponse<String> r) {
        String set = r.headers().firstValue("set-cookie").orElseThrow(() -> new AssertionError("no cookie: " + r));
        return set.substring(0, set.indexOf(';'));
    }

    static String signUp(ChatFixture chat, String handle, String password) throws Exception {
        HttpResponse<String> r = post(chat, "signup", Map.of("handle", handle, "password", password));
        assertEquals(201, r.statusCode(), r.body());
        return cookie(r);
    }

    static String signIn(ChatFixture chat, String handle, String password, String... headers) throws Exception {
        HttpResponse<String> r = post(chat, "signin", Map.of("handle", handle, "password", password), headers);
        assertEquals(200, r.statusCode(), r.body());
        return cookie(r);
    }

    static Map<String, Object> withCookie(String cookie) {
        return Map.of("extraHeaders", Map.of("Cookie", cookie), "transports", List.of("websocket"));
    }

    /**
     * Three accounts connected as "alice", "bob" and "carol"; alice's private room "team" with bob invited (and his
     * client told), carol outside it.
     */
    static void privateTeam(ChatFixture chat, ChatClients clients) throws Exception {
        connect(clients, "alice", withCookie(signUp(chat, "alice", "alice password")));
        connect(clients, "bob", withCookie(signUp(chat, "bob", "bob password")));
        connect(clients, "carol", withCookie(signUp(chat, "carol", "carol password")));
        clients.ok("alice", "create-room", Map.of("room", "team", "visibility", "private"));
        clients.ok("alice", "invite", Map.of("room", "team", "handle", "bob"));
        clients.await("bob", "room-added", r -> r.path("room").asText().equals("team"));
    }

    /** Opens a client with these options and returns its {@code session} event. */
    static JsonNode connect(ChatClients clients, String c, Map<String, Object> options) {
        clients.open(c, options);
        clients.connected(c, 1);
        return clients.await(c, "session", s -> true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anAccountIsOneUserInEveryBrowserUntilItsSessionsEnd(String store) throws Exception {
        try (ChatFixture chat = start(store); ChatClients clients = chat.clients()) {
            HttpResponse<String> up = post(chat, "signup", Map.of("handle", "Alice", "password", "correct horse",
                    "displayName", "Alice A."));
            assertEquals(201, up.statusCode(), up.body());
            String setCookie = up.headers().firstValue("set-cookie").orElseThrow();
            assertTrue(setCookie.startsWith("hibiki_session="), setCookie);
            assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly") && setCookie.contains("SameSite=Lax")
                    && setCookie.contains("Path=/"), setCookie);
            assertFalse(setCookie.contains("Secure"), "plain HTTP: no Secure flag: " + setCookie);
            assertFalse(up.body().contains(cookie(up).substring("hibiki_session=".length())),
                    "a browser's answer does not carry the secret the cookie hides");
            String laptop = cookie(up);
            String userId = json(up).path("user").path("userId").asText();
            assertTrue(json(up).path("user").path("admin").asBoolean(), "the first account is the admin");

            JsonNode me = json(chat.get("/api/auth/me", "Cookie", laptop));
            assertEquals(userId, me.path("user").path("userId").asText());
            assertEquals("Alice A.", me.path("user").path("displayName").asText());

            // A second browser signs in with another capitalisation of the handle: the same user.
            String phone = signIn(chat, "ALICE", "correct horse");
            assertNotEquals(laptop, phone);
            JsonNode s1 = connect(clients, "laptop", withCookie(laptop));
            JsonNode s2 = connect(clients, "phone", withCookie(phone));
            for (JsonNode s : List.of(s1, s2)) {
                assertEquals(userId, s.path("userId").asText());
                assertEquals("Alice", s.path("handle").asText());
                assertEquals("Alice A.", s.path("nickname").asText());
                assertFalse(s.path("guest").asBoolean(true));
            }
            // What one browser joins, the other is in; what one sends, the other's history has.
            clients.ok("laptop", "join-room", "plans");
            clients.await("phone", "room-added", r -> r.path("room").asText().equals("plans"));
            clients.ok("phone", "send-message-to-room", Map.of("room", "plans", "message", "from the phone",
                    "clientId", "c-1"));
            JsonNode history = clients.ok("laptop", "history", Map.of("room", "plans"));
            assertEquals("from the phone", history.path("messages").path(0).path("text").asText());
            assertEquals("Alice A.", history.path("messages").path(0).path("author").asText());
            assertFalse(history.path("messages").path(0).has("guest"));

            // Signing out the phone ends its connection and its cookie; the laptop stays.
            HttpResponse<String> out = post(chat, "signout", Map.of(), "Cookie", phone);
            assertEquals(200, out.statusCode());
            assertTrue(out.headers().firstValue("set-cookie").orElseThrow().contains("Max-Age=0"));
            assertEquals("io server disconnect", clients.disconnected("phone"));
            assertTrue(json(chat.get("/api/auth/me", "Cookie", phone)).path("user").isNull());
            clients.open("phone-again", withCookie(phone));
            JsonNode refused = clients.line(e -> e.path("event").asText().equals("connect_error")
                    && e.path("c").asText().equals("phone-again"));
            assertEquals("signed_out", refused.path("data").path("error").asText(), refused.toString());
            clients.ok("laptop", "history", Map.of("room", "plans"));
            assertEquals(userId, json(chat.get("/api/auth/me", "Cookie", laptop)).path("user").path("userId").asText());
        }
    }

    @Test
    void anAccountsUploadTokenEndsWithItsSession() throws Exception {
        try (ChatFixture chat = start("h2"); ChatClients clients = chat.clients()) {
            String cookie = signUp(chat, "ursula", "ursula's password");
            JsonNode s = connect(clients, "ursula", withCookie(cookie));
            String[] identity = {"Content-Type", "text/plain", "X-Chat-User", s.path("userId").asText(),
                "X-Chat-Token", s.path("userToken").asText()};
            byte[] file = "notes".getBytes(StandardCharsets.UTF_8);
            assertEquals(201, chat.post("/api/uploads", file, identity).statusCode());
            assertEquals(200, post(chat, "signout", Map.of(), "Cookie", cookie).statusCode());
            assertEquals(401, chat.post("/api/uploads", file, identity).statusCode(),
                    "the page's token went with its session");
        }
        // Without guests, a guest's token (issued while they were allowed) uploads nothing.
        try (ChatFixture chat = ChatFixture.start(dir.resolve("closed"), "GUESTS=off")) {
            String[] guest = ChatClients.uploadIdentity("guest");
            assertEquals(401, chat.post("/api/uploads", "x".getBytes(StandardCharsets.UTF_8), "Content-Type",
                    "text/plain", guest[0], guest[1], guest[2], guest[3]).statusCode());
        }
    }

    @Test
    void aConnectionCannotRecoverASessionThatEndedWhileItWasAway() throws Exception {
        try (ChatFixture chat = start("h2"); ChatClients clients = chat.clients()) {
            String cookie = signUp(chat, "vera", "vera's password");
            connect(clients, "vera", withCookie(cookie));
            String otherCookie = signIn(chat, "vera", "vera's password");
            connect(clients, "other", withCookie(otherCookie));
            clients.drop("vera");
            clients.disconnected("vera");
            assertEquals(200, post(chat, "signout", Map.of(), "Cookie", cookie).statusCode());
            // Within the recovery window, with its session id and offset: refused all the same.
            clients.reconnect("vera");
            JsonNode refused = clients.line(e -> e.path("event").asText().equals("connect_error")
                    && e.path("c").asText().equals("vera"));
            assertEquals("signed_out", refused.path("data").path("error").asText(), refused.toString());
            // A connection that recovers with its session still good comes back as itself.
            clients.drop("other");
            clients.disconnected("other");
            clients.reconnect("other");
            assertTrue(clients.connected("other", 2).path("recovered").asBoolean());
        }
    }

    @Test
    void aSessionSurvivesARestartOnTheEmbeddedStore() throws Exception {
        try (ChatFixture chat = start("h2")) {
            String cookie = signUp(chat, "bob", "hunter2hunter2");
            chat.restart();
            assertEquals("bob", json(chat.get("/api/auth/me", "Cookie", cookie)).path("user").path("handle").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void aSessionOpenedOnOneInstanceWorksOnAnotherAndEndsOnBoth(ClusterKind cluster) throws Exception {
        String db = TestDatabases.fresh("hibiki_accounts_two");
        String[] shared = {"DATABASE_URL=" + db, cluster.setting};
        try (ChatFixture a = ChatFixture.start(dir.resolve(cluster + "-a"), shared);
             ChatFixture b = ChatFixture.start(dir.resolve(cluster + "-b"), shared);
             ChatClients onB = b.clients()) {
            String cookie = signUp(a, "carol", "a long passphrase");
            JsonNode s = connect(onB, "carol-b", withCookie(cookie));
            assertEquals("carol", s.path("handle").asText());
            // Signed out on A: the connection on B closes, and B no longer honours the cookie.
            assertEquals(200, post(a, "signout", Map.of(), "Cookie", cookie).statusCode());
            assertEquals("io server disconnect", onB.disconnected("carol-b"));
            assertTrue(json(b.get("/api/auth/me", "Cookie", cookie)).path("user").isNull());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void handlesAreUniqueAndCannotBeImitated(String store) throws Exception {
        try (ChatFixture chat = start(store)) {
            signUp(chat, "alice", "password one");
            // The same handle in other forms: another case, full-width letters, padding.
            for (String same : List.of("ALICE", "Alice", "\uff41\uff4c\uff49\uff43\uff45", " alice ")) {
                HttpResponse<String> r = post(chat, "signup", Map.of("handle", same, "password", "password two"));
                assertEquals(409, r.statusCode(), same + ": " + r.body());
                assertEquals("handle_taken", json(r).path("error").asText());
            }
            // Look-alikes: an invisible character, a Cyrillic 'а' among Latin letters, a control character.
            for (String lookAlike : List.of("alice\u200b", "\u0430lice", "ali\u0007ce", "al\u202eice")) {
                HttpResponse<String> r = post(chat, "signup", Map.of("handle", lookAlike, "password", "password two"));
                assertEquals(400, r.statusCode(), lookAlike + ": " + r.body());
                assertEquals("invalid_handle", json(r).path("error").asText());
            }
            HttpResponse<String> weak = post(chat, "signup", Map.of("handle", "dave", "password", "short"));
            assertEquals(400, weak.statusCode());
            assertEquals("weak_password", json(weak).path("error").asText());
            // Other scripts are handles too, one script at a time.
            assertEquals(201, post(chat, "signup", Map.of("handle", "\u0430\u043b\u0438\u0441\u0430",
                    "password", "password three")).statusCode());
            assertEquals(201, post(chat, "signup", Map.of("handle", "\u3086\u3046\u592a",
                    "password", "password four")).statusCode());
        }
    }

    @Test
    void wrongPasswordsAreLimitedPerHandleAndAddressWithoutLockingTheOwnerOut() throws Exception {
        try (ChatFixture chat = start("h2", "TRUSTED_PROXIES=127.0.0.1")) {
            signUp(chat, "erin", "erins passphrase");
            String[] attacker = {"X-Forwarded-For", "198.51.100.7"};
            int refusedAt = -1;
            for (int i = 0; i < 8 && refusedAt < 0; i++) {
                HttpResponse<String> r = post(chat, "signin", Map.of("handle", "erin", "password", "guess " + i),
                        attacker);
                if (r.statusCode() == 429) {
                    refusedAt = i;
                    assertEquals("rate_limited", json(r).path("error").asText());
                    assertTrue(r.headers().firstValue("retry-after").isPresent());
                } else {
                    assertEquals(401, r.statusCode(), r.body());
                    assertEquals("invalid_credentials", json(r).path("error").asText());
                }
            }
            assertEquals(5, refusedAt, "five wrong passwords, then the sixth attempt is refused");
            // Even the right password is refused from there for now: the attacker learns nothing by trying it.
            assertEquals(429, post(chat, "signin", Map.of("handle", "erin", "password", "erins passphrase"),
                    attacker).statusCode());
            // The owner, elsewhere, signs in.
            signIn(chat, "erin", "erins passphrase", "X-Forwarded-For", "203.0.113.9");
            // An unknown handle is answered as a wrong password.
            HttpResponse<String> unknown = post(chat, "signin", Map.of("handle", "nobody", "password", "whatever1"));
            assertEquals(401, unknown.statusCode());
            assertEquals("invalid_credentials", json(unknown).path("error").asText());
        }
    }

    @Test
    void signInAttemptsPerAddressAreLimited() throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir.resolve("data"), "SIGNINS_PER_MINUTE_PER_IP=2")) {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 6; i++) {
                int status = post(chat, "signin", Map.of("handle", "user" + i, "password", "password")).statusCode();
                if (status == 429) {
                    limited++;
                } else {
                    assertEquals(401, status);
                    ok++;
                }
            }
            assertEquals(4, ok, "a burst of twice the per-minute rate");
            assertEquals(2, limited);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aPasswordChangeEndsEveryOtherSession(String store) throws Exception {
        try (ChatFixture chat = start(store); ChatClients clients = chat.clients()) {
            String mine = signUp(chat, "frank", "first password");
            String other = signIn(chat, "frank", "first password");
            connect(clients, "mine", withCookie(mine));
            connect(clients, "other", withCookie(other));
            HttpResponse<String> wrong = post(chat, "password", Map.of("current", "not it at all",
                    "password", "second password"), "Cookie", mine);
            assertEquals(403, wrong.statusCode());
            assertEquals(200, post(chat, "password", Map.of("current", "first password",
                    "password", "second password"), "Cookie", mine).statusCode());
            assertEquals("io server disconnect", clients.disconnected("other"));
            assertTrue(json(chat.get("/api/auth/me", "Cookie", other)).path("user").isNull());
            assertEquals("frank", json(chat.get("/api/auth/me", "Cookie", mine)).path("user").path("handle").asText());
            // The upload token the other page held is revoked; this page got a fresh one that works.
            JsonNode fresh = clients.await("mine", "session-token", t -> true);
            assertTrue(fresh.path("userToken").asText().contains("."));
            assertEquals(401, post(chat, "signin", Map.of("handle", "frank", "password", "first password"))
                    .statusCode());
            signIn(chat, "frank", "second password");
        }
    }

    @Test
    void aNewDisplayNameShowsOnOldMessagesAndToEveryone() throws Exception {
        try (ChatFixture chat = start("h2"); ChatClients clients = chat.clients()) {
            String cookie = signUp(chat, "gina", "gina's password");
            connect(clients, "gina", withCookie(cookie));
            clients.connect("watcher", ChatClients.user("watcher"));
            clients.ok("gina", "send-message", Map.of("text", "before the rename", "clientId", "g-1"));
            HttpResponse<String> r = post(chat, "profile", Map.of("displayName", "Gina G."), "Cookie", cookie);
            assertEquals(200, r.statusCode(), r.body());
            clients.await("watcher", "user-updated", u -> u.path("nickname").asText().equals("Gina G."));
            JsonNode history = clients.ok("watcher", "history", Map.of("room", "general"));
            assertEquals("Gina G.", history.path("messages").path(0).path("author").asText());
            // Her open connection shows it too: in who is online, and in what she sends from then on.
            JsonNode online = clients.ok("watcher", "presence", Map.of("room", "general"));
            assertTrue(online.path("users").toString().contains("Gina G."), online.toString());
            clients.ok("gina", "send-message", Map.of("text", "after the rename", "clientId", "g-2"));
            assertEquals("Gina G.", clients.awaitMessage("watcher", "after the rename").path("author").asText());
            HttpResponse<String> invisible = post(chat, "profile", Map.of("displayName", "Gina\u200b"),
                    "Cookie", cookie);
            assertEquals(400, invisible.statusCode());
        }
    }

    @Test
    void theTutorialsClientIsAGuestAndGuestsCanBeTurnedOff() throws Exception {
        try (ChatFixture chat = start("h2"); ChatClients clients = chat.clients()) {
            // As the tutorial connects: its path, no auth, a nickname at most.
            JsonNode guest = connect(clients, "tutorial", Map.of("path", "/api/socket_io"));
            assertTrue(guest.path("guest").asBoolean());
            clients.ok("tutorial", "send-message", Map.of("text", "hi from a guest"));
            JsonNode history = clients.ok("tutorial", "history", Map.of("room", "general"));
            assertTrue(history.path("messages").path(0).path("guest").asBoolean());
            // A guest cannot pass as an account by presenting the account's id with the user token its page holds.
            String cookie = signUp(chat, "hank", "hank's password");
            JsonNode s = connect(clients, "hank", withCookie(cookie));
            clients.open("impostor", Map.of("auth", Map.of("userId", s.path("userId").asText(),
                    "userToken", s.path("userToken").asText(), "nickname", "hank")));
            JsonNode refused = clients.line(e -> e.path("event").asText().equals("connect_error")
                    && e.path("c").asText().equals("impostor"));
            assertEquals("signed_out", refused.path("data").path("error").asText());
        }
        try (ChatFixture chat = ChatFixture.start(dir.resolve("closed"), "GUESTS=off");
             ChatClients clients = chat.clients()) {
            clients.open("tutorial", Map.of("path", "/api/socket_io"));
            JsonNode refused = clients.line(e -> e.path("event").asText().equals("connect_error")
                    && e.path("c").asText().equals("tutorial"));
            assertEquals("auth_required", refused.path("data").path("error").asText());
            assertFalse(json(chat.get("/api/auth/me")).path("guests").asBoolean(true));
            // A program signs in for a token and presents it in auth.
            HttpResponse<String> up = post(chat, "signup", Map.of("handle", "bot", "password", "bot password",
                    "token", true));
            String token = json(up).path("token").asText();
            assertEquals(43, token.length());
            JsonNode s = connect(clients, "bot", Map.of("auth", Map.of("sessionToken", token)));
            assertEquals("bot", s.path("handle").asText());
        }
    }

    @Test
    void adminsAreTheFirstAccountAndTheConfiguredHandles() throws Exception {
        try (ChatFixture chat = start("h2", "ADMIN_HANDLES=Ivy")) {
            HttpResponse<String> first = post(chat, "signup", Map.of("handle", "jack", "password", "jack's password"));
            assertTrue(json(first).path("user").path("admin").asBoolean());
            HttpResponse<String> second = post(chat, "signup", Map.of("handle", "kate", "password", "kate's password"));
            assertFalse(json(second).path("user").path("admin").asBoolean());
            HttpResponse<String> ivy = post(chat, "signup", Map.of("handle", "ivy", "password", "ivy's password"));
            assertTrue(json(ivy).path("user").path("admin").asBoolean());
        }
    }

    @Test
    void accountRoutesRefuseOtherSitesFormsAndOversizedBodies() throws Exception {
        try (ChatFixture chat = start("h2")) {
            HttpResponse<String> foreign = post(chat, "signup", Map.of("handle", "mallory", "password", "password1"),
                    "Origin", "http://evil.example");
            assertEquals(403, foreign.statusCode());
            assertEquals("forbidden_origin", json(foreign).path("error").asText());
            HttpResponse<String> form = chat.post("/api/auth/signin",
                    "handle=a&password=b".getBytes(StandardCharsets.US_ASCII),
                    "Content-Type", "application/x-www-form-urlencoded");
            assertEquals(415, form.statusCode());
            Map<String, Object> huge = new LinkedHashMap<>();
            huge.put("handle", "x".repeat(10_000));
            huge.put("password", "password");
            HttpResponse<String> big = post(chat, "signup", huge);
            assertEquals(413, big.statusCode());
            HttpResponse<String> broken = chat.post("/api/auth/signin", "{not json".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json");
            assertEquals(400, broken.statusCode());
            assertEquals("bad_json", json(broken).path("error").asText());
            // The connection that was refused still answers the next request.
            assertEquals(200, chat.get("/api/auth/me").statusCode());
        }
    }
}
