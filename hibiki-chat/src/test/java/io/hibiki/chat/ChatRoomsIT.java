package io.hibiki.chat;

import static io.hibiki.chat.ChatAccountsIT.connect;
import static io.hibiki.chat.ChatAccountsIT.json;
import static io.hibiki.chat.ChatAccountsIT.post;
import static io.hibiki.chat.ChatAccountsIT.signIn;
import static io.hibiki.chat.ChatAccountsIT.signUp;
import static io.hibiki.chat.ChatAccountsIT.withCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rooms people manage, the directory, conversations with anyone, and moderation, over real H2 and PostgreSQL:
 * a private room is invisible to non-members everywhere (directory, join, history, sync, presence); owners rename,
 * describe, remove and archive; a direct message to someone offline is there at their next sign-in; group
 * conversations; blocks; and an admin's deletions and suspensions take effect on a second instance.
 */
class ChatRoomsIT {

    @TempDir
    Path dir;

    private ChatFixture start(String store, String... settings) throws Exception {
        return ChatFixture.onStore(store, "hibiki_rooms_it", dir.resolve("data"), settings);
    }

    private static List<String> names(JsonNode list, String field) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aPrivateRoomIsInvisibleToEveryoneNotInvited(String store) throws Exception {
        try (ChatFixture chat = start(store); ChatClients clients = chat.clients()) {
            connect(clients, "alice", withCookie(signUp(chat, "alice", "alice password")));
            connect(clients, "bob", withCookie(signUp(chat, "bob", "bob password")));
            connect(clients, "carol", withCookie(signUp(chat, "carol", "carol password")));
            JsonNode created = clients.ok("alice", "create-room", Map.of("room", "secret", "visibility", "private",
                    "topic", "the plan"));
            assertEquals("private", created.path("visibility").asText());
            clients.ok("alice", "create-room", Map.of("room", "lobby", "topic", "say hello"));
            clients.ok("alice", "send-message-to-room", Map.of("room", "secret", "message", "hidden words"));

            JsonNode dir = clients.ok("bob", "room-directory", Map.of());
            assertEquals(List.of("general", "lobby"), names(dir.path("rooms"), "room"));
            assertEquals("say hello", dir.path("rooms").path(1).path("topic").asText());
            assertEquals(1, dir.path("rooms").path(1).path("members").asInt());
            assertEquals(List.of("lobby"), names(clients.ok("bob", "room-directory", Map.of("query", "HELLO"))
                    .path("rooms"), "room"));
            assertEquals(List.of(), names(clients.ok("bob", "room-directory", Map.of("query", "secret"))
                    .path("rooms"), "room"));
            assertEquals(List.of("general", "lobby"), names(clients.ok("bob", "list-rooms").path("rooms"), "room"));

            clients.refused("bob", "not_invited", "join-room", "secret");
            clients.refused("bob", "not_in_room", "history", Map.of("room", "secret"));
            clients.refused("bob", "not_in_room", "sync", Map.of("room", "secret", "after", 0));
            clients.refused("bob", "not_in_room", "presence", Map.of("room", "secret"));
            clients.refused("bob", "not_in_room", "send-message-to-room", Map.of("room", "secret", "message", "x"));
            clients.refused("bob", "not_in_room", "invite", Map.of("room", "secret", "handle", "bob"));

            // Invited by handle, bob is in: the room arrives with its title, and its history is his to read.
            clients.ok("alice", "invite", Map.of("room", "secret", "handle", "BOB"));
            JsonNode added = clients.await("bob", "room-added", r -> r.path("room").asText().equals("secret"));
            assertEquals("the plan", added.path("topic").asText());
            assertEquals("private", added.path("visibility").asText());
            assertEquals("hidden words", clients.ok("bob", "history", Map.of("room", "secret"))
                    .path("messages").path(0).path("text").asText());
            assertEquals(2, clients.ok("bob", "presence", Map.of("room", "secret")).path("users").size());
            clients.refused("carol", "not_invited", "join-room", "secret");
            clients.refused("carol", "not_in_room", "history", Map.of("room", "secret"));
            clients.refused("alice", "invalid_user", "invite", Map.of("room", "secret", "handle", "nobody"));
            // A member's sidebar is its rooms, not every room there is.
            JsonNode snapshot = clients.await("carol", "snapshot", s -> true);
            assertEquals(List.of("general"), names(snapshot.path("rooms"), "room"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theOwnerRenamesRemovesAndArchives(String store) throws Exception {
        try (ChatFixture chat = start(store); ChatClients clients = chat.clients()) {
            connect(clients, "alice", withCookie(signUp(chat, "alice", "alice password")));
            connect(clients, "bob", withCookie(signUp(chat, "bob", "bob password")));
            clients.connect("guest", ChatClients.user("guest"));
            clients.ok("alice", "create-room", Map.of("room", "team"));
            clients.ok("bob", "join-room", "team");
            clients.refused("bob", "forbidden", "update-room", Map.of("room", "team", "topic", "mine now"));
            clients.refused("guest", "account_required", "create-room", Map.of("room", "guests-room"));
            clients.ok("alice", "update-room", Map.of("room", "team", "title", "The Team", "topic", "weekly"));
            JsonNode updated = clients.await("bob", "room-updated", r -> r.path("topic").asText().equals("weekly"));
            assertEquals("The Team", updated.path("title").asText());

            String bobId = clients.await("bob", "session", s -> true).path("userId").asText();
            clients.ok("alice", "remove-member", Map.of("room", "team", "userId", bobId));
            clients.await("bob", "room-removed", r -> r.path("room").asText().equals("team"));
            clients.refused("bob", "not_in_room", "send-message-to-room", Map.of("room", "team", "message", "x"));

            clients.ok("alice", "archive-room", Map.of("room", "team"));
            JsonNode refused = clients.refused("alice", "archived", "send-message-to-room",
                    Map.of("room", "team", "message", "after the archive"));
            assertTrue(refused.path("message").asText().contains("archived"));
            clients.ok("alice", "history", Map.of("room", "team"));
            clients.refused("bob", "archived", "join-room", "team");
            assertFalse(names(clients.ok("bob", "room-directory", Map.of()).path("rooms"), "room").contains("team"));
            clients.ok("alice", "archive-room", Map.of("room", "team", "archived", false));
            clients.ok("alice", "send-message-to-room", Map.of("room", "team", "message", "back again"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aDirectMessageToSomeoneOfflineIsThereAtTheirNextSignIn(String store) throws Exception {
        try (ChatFixture chat = start(store); ChatClients clients = chat.clients()) {
            String aliceId = connect(clients, "alice", withCookie(signUp(chat, "alice", "alice password")))
                    .path("userId").asText();
            signUp(chat, "bob", "bob password"); // and never connected
            JsonNode users = clients.ok("alice", "user-directory", Map.of("query", "bo"));
            assertEquals(List.of("bob"), names(users.path("users"), "handle"));
            JsonNode dm = clients.ok("alice", "direct", Map.of("handle", "bob"));
            String room = dm.path("room").asText();
            clients.ok("alice", "send-message-to-room", Map.of("room", room, "message", "for when you are back",
                    "clientId", "dm-1"));

            String cookie = signIn(chat, "bob", "bob password");
            JsonNode s = connect(clients, "bob", withCookie(cookie));
            JsonNode snapshot = clients.await("bob", "snapshot", x -> true);
            JsonNode entry = StreamSupport.stream(snapshot.path("rooms").spliterator(), false)
                    .filter(r -> r.path("room").asText().equals(room)).findFirst().orElseThrow();
            assertEquals(1, entry.path("unread").asInt());
            assertEquals("bob", s.path("handle").asText());
            assertEquals(1, entry.path("unread").asInt());
            JsonNode message = clients.ok("bob", "history", Map.of("room", room)).path("messages").path(0);
            assertEquals("for when you are back", message.path("text").asText());
            assertEquals(aliceId, message.path("userId").asText());
        }
    }

    @Test
    void groupConversationsAndBlocks() throws Exception {
        try (ChatFixture chat = start("h2"); ChatClients clients = chat.clients()) {
            List<String> ids = new ArrayList<>();
            for (String who : List.of("alice", "bob", "carol")) {
                ids.add(connect(clients, who, withCookie(signUp(chat, who, who + " password")))
                        .path("userId").asText());
            }
            JsonNode group = clients.ok("alice", "create-group", Map.of("userIds", ids.subList(1, 3)));
            String room = group.path("room").asText();
            for (String who : List.of("bob", "carol")) {
                JsonNode added = clients.await(who, "room-added", r -> r.path("room").asText().equals(room));
                assertEquals("group", added.path("kind").asText());
                assertEquals("alice, bob, carol", added.path("title").asText());
            }
            clients.ok("bob", "send-message-to-room", Map.of("room", room, "message", "hi group"));
            clients.awaitMessage("carol", "hi group");
            clients.awaitMessage("alice", "hi group");
            List<String> nine = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                nine.add(ids.get(1));
            }
            clients.refused("alice", "invalid_group", "create-group", Map.of("userIds", nine));
            clients.refused("alice", "invalid_group", "create-group", Map.of("userIds", List.of()));

            // Carol blocks Alice: no conversation, no invitation, no group from her.
            clients.ok("carol", "block", Map.of("userId", ids.get(0)));
            clients.refused("alice", "invalid_user", "direct", Map.of("handle", "carol"));
            clients.ok("alice", "create-room", Map.of("room", "party", "visibility", "private"));
            clients.refused("alice", "invalid_user", "invite", Map.of("room", "party", "handle", "carol"));
            clients.refused("alice", "invalid_user", "create-group", Map.of("userIds", ids.subList(1, 3)));
            // Bob is not blocked by carol: he still reaches her.
            clients.ok("bob", "direct", Map.of("handle", "carol"));
        }
    }

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void anAdminsDeletionsAndSuspensionsHoldOnEveryInstance(ClusterKind cluster) throws Exception {
        String db = TestDatabases.fresh("hibiki_rooms_admin");
        String[] shared = {"DATABASE_URL=" + db, cluster.setting, "SIGNINS_PER_MINUTE_PER_IP=0",
            "SIGNUPS_PER_HOUR_PER_IP=0"};
        try (ChatFixture a = ChatFixture.start(dir.resolve(cluster + "-a"), shared);
             ChatFixture b = ChatFixture.start(dir.resolve(cluster + "-b"), shared);
             ChatClients onA = a.clients(); ChatClients onB = b.clients()) {
            connect(onA, "admin", withCookie(signUp(a, "admin", "admin password")));
            String bobCookie = signUp(a, "bob", "bob password");
            String bobId = connect(onB, "bob", withCookie(bobCookie)).path("userId").asText();
            connect(onB, "carol", withCookie(signUp(b, "carol", "carol password")));

            // Not an admin: refused.
            onB.refused("carol", "forbidden", "suspend-user", Map.of("userId", bobId));
            onB.refused("carol", "not_found", "delete-message", Map.of("id", 1));

            JsonNode sent = onB.ok("bob", "send-message", Map.of("text", "something rude", "clientId", "r-1"));
            onA.awaitMessage("admin", "something rude");
            onA.ok("admin", "delete-message", Map.of("id", sent.path("id").asLong()));
            onB.await("carol", "message-deleted", d -> d.path("id").asLong() == sent.path("id").asLong());
            assertTrue(onB.ok("carol", "history", Map.of("room", "general")).path("messages").path(0)
                    .path("deleted").asBoolean());

            onB.ok("bob", "create-room", Map.of("room", "bobs-room"));
            onB.ok("carol", "join-room", "bobs-room");
            onB.ok("bob", "send-message-to-room", Map.of("room", "bobs-room", "message", "in bob's room"));
            onA.ok("admin", "delete-room", Map.of("room", "bobs-room"));
            onB.await("carol", "room-removed", r -> r.path("room").asText().equals("bobs-room"));
            onB.refused("carol", "not_in_room", "history", Map.of("room", "bobs-room"));

            onA.ok("admin", "suspend-user", Map.of("userId", bobId));
            assertEquals("io server disconnect", onB.disconnected("bob"));
            assertEquals(403, post(b, "signin", Map.of("handle", "bob", "password", "bob password")).statusCode());
            assertTrue(json(b.get("/api/auth/me", "Cookie", bobCookie)).path("user").isNull());
            assertFalse(names(onB.ok("carol", "user-directory", Map.of()).path("users"), "handle").contains("bob"));
            onA.refused("admin", "invalid_user", "suspend-user", Map.of("userId", "acct-nobody"));
            // Reinstated, bob signs in again.
            onA.ok("admin", "suspend-user", Map.of("userId", bobId, "suspended", false));
            assertEquals(200, post(a, "signin", Map.of("handle", "bob", "password", "bob password")).statusCode());
        }
    }
}
