package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static io.hibiki.chat.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat beyond the seed, with named users ({@code auth: {nickname, userId}}) and acknowledged requests. */
class ChatFeaturesIT {
    @RegisterExtension
    static final SharedChat SHARED = new SharedChat();
    private final ChatFixture chat = SHARED.server();
    private final ChatClients clients = SHARED.clients();

    private JsonNode join(String c, String room) {
        return clients.ok(c, "join-room", room);
    }

    private long send(String c, String room, String text) {
        return clients.ok(c, "send-message-to-room", Map.of("room", room, "message", text)).path("id").asLong();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("text").asText()));
        return out;
    }

    private static List<String> nicknames(JsonNode users) {
        List<String> out = new ArrayList<>();
        users.forEach(u -> out.add(u.path("nickname").asText()));
        return out;
    }

    @Test
    void roomsAreIsolated() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        clients.connect("c", user("carol"));
        join("a", "iso-1");
        join("b", "iso-1");
        join("c", "iso-2");
        send("a", "iso-1", "in one");
        JsonNode atB = clients.awaitMessage("b", "in one");
        assertEquals("alice", atB.path("author").asText());
        assertEquals(userId("alice"), atB.path("userId").asText());
        clients.refused("c", "not_in_room", "send-message-to-room", Map.of("room", "iso-1", "message", "intruder"));
        clients.refused("c", "not_in_room", "history", Map.of("room", "iso-1"));
        send("c", "iso-2", "in two");
        clients.awaitMessage("c", "in two");
        // "in one" was broadcast before c's own message, so it would have arrived first.
        assertEquals(List.of("in two"), texts(arrayOf(clients.received("c", "receive-message"))));
        assertTrue(clients.received("b", "receive-message").stream().noneMatch(m -> m.path("text").asText()
                .equals("intruder")));
    }

    private static JsonNode arrayOf(List<JsonNode> nodes) {
        com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.arrayNode();
        nodes.forEach(a::add);
        return a;
    }

    @Test
    void historyPagesBackwardsThroughAcks() {
        clients.connect("a", user("alice"));
        join("a", "hist");
        for (int i = 0; i < 7; i++) {
            send("a", "hist", "h" + i);
        }
        JsonNode page1 = clients.ok("a", "history", Map.of("room", "hist", "limit", 3));
        assertEquals(List.of("h4", "h5", "h6"), texts(page1.path("messages")));
        assertTrue(page1.path("hasMore").asBoolean());
        long oldest = page1.path("messages").path(0).path("id").asLong();
        JsonNode page2 = clients.ok("a", "history", Map.of("room", "hist", "limit", 3, "before", oldest));
        assertEquals(List.of("h1", "h2", "h3"), texts(page2.path("messages")));
        oldest = page2.path("messages").path(0).path("id").asLong();
        JsonNode page3 = clients.ok("a", "history", Map.of("room", "hist", "limit", 3, "before", oldest));
        assertEquals(List.of("h0"), texts(page3.path("messages")));
        assertFalse(page3.path("hasMore").asBoolean());
        assertEquals(List.of("h0", "h1", "h2", "h3", "h4", "h5", "h6"),
                texts(join("a", "hist").path("messages")), "joining answers with the latest messages");
    }

    /** Whether {@code d} is a presence change in {@code room} where {@code nickname} joined ({@code "joined"}) or left. */
    private static boolean delta(JsonNode d, String room, String change, String nickname) {
        return d.path("room").asText().equals(room)
                && nicknames(d.path(change)).contains(nickname);
    }

    @Test
    void presenceCountsUsersOnceAndFollowsLeavesAndDisconnects() {
        clients.connect("a1", user("alice"));
        clients.connect("a2", user("alice"));
        clients.connect("c", user("carol"));
        clients.connect("b", user("bob"));
        for (String c : List.of("a1", "a2", "c", "b")) {
            join(c, "pres");
        }
        assertEquals(List.of("alice", "bob", "carol"),
                nicknames(clients.ok("b", "presence", "pres").path("users")), "two tabs of alice count once");

        clients.ok("c", "leave-room", "pres");
        clients.await("b", "presence-delta", d -> delta(d, "pres", "left", "carol"));
        clients.await("b", "user-left", l -> l.path("nickname").asText().equals("carol"));
        assertEquals(List.of("alice", "bob"), nicknames(clients.ok("b", "presence", "pres").path("users")));

        // One of alice's tabs goes: she is still online in the other.
        clients.disconnect("a1");
        clients.disconnected("a1");
        assertEquals(List.of("alice", "bob"), nicknames(clients.ok("b", "presence", "pres").path("users")),
                "alice is still there in her other tab");
        // Her last tab goes: the room hears she left.
        clients.disconnect("a2");
        clients.await("b", "presence-delta", d -> delta(d, "pres", "left", "alice"));
        assertEquals(List.of("bob"), nicknames(clients.ok("b", "presence", "pres").path("users")));

        // She comes back: her rooms hear it from the connect alone (she is still a member).
        clients.connect("a3", user("alice"));
        clients.await("b", "presence-delta", d -> delta(d, "pres", "joined", "alice"));
        // Membership belongs to the user: leaving in one tab leaves in every tab.
        clients.connect("a4", user("alice"));
        clients.ok("a4", "leave-room", "pres");
        clients.await("a3", "room-removed", r -> r.path("room").asText().equals("pres"));
        clients.awaitCount("b", "presence-delta", d -> delta(d, "pres", "left", "alice"), 2);
        assertEquals(List.of("bob"), nicknames(clients.ok("b", "presence", "pres").path("users")));
        clients.refused("a3", "not_in_room", "send-message-to-room", Map.of("room", "pres", "message", "x"));
        // Nobody was sent the whole list: only the changes.
        assertEquals(List.of(), clients.received("b", "presence"));
    }

    @Test
    void aRetriedSendIsStoredAndBroadcastOnce() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        join("a", "dup");
        join("b", "dup");
        Map<String, Object> msg = Map.of("room", "dup", "message", "only once", "clientId", "cid-dup-0001");
        JsonNode first = clients.ok("a", "send-message-to-room", msg);
        JsonNode retry = clients.ok("a", "send-message-to-room", msg);
        assertFalse(first.path("duplicate").asBoolean());
        assertTrue(retry.path("duplicate").asBoolean());
        assertEquals(first.path("id").asLong(), retry.path("id").asLong());
        send("a", "dup", "marker after");
        clients.awaitMessage("b", "marker after");
        assertEquals(1, clients.received("b", "receive-message").stream()
                .filter(m -> m.path("text").asText().equals("only once")).count());
        assertEquals("cid-dup-0001", clients.awaitMessage("b", "only once").path("clientId").asText());
        assertEquals(List.of("only once", "marker after"),
                texts(clients.ok("a", "history", Map.of("room", "dup")).path("messages")));
    }

    @Test
    void typingReachesOthersInTheRoomButNotTheSender() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        join("a", "typ");
        join("b", "typ");
        clients.emit("a", "typing", Map.of("room", "typ", "typing", true));
        JsonNode atB = clients.await("b", "typing", t -> true);
        assertEquals(Map.of("room", "typ", "userId", userId("alice"), "nickname", "alice", "typing", true),
                Map.of("room", atB.path("room").asText(), "userId", atB.path("userId").asText(),
                        "nickname", atB.path("nickname").asText(), "typing", atB.path("typing").asBoolean()));
        // b types once alice's indicator reached it; had alice's come back to her, it would have come first.
        clients.emit("b", "typing", Map.of("room", "typ", "typing", false));
        clients.await("a", "typing", t -> t.path("nickname").asText().equals("bob"));
        assertEquals(List.of("bob"), nicknames(arrayOf(clients.received("a", "typing"))));
    }

    @Test
    void onlyTheAuthorEditsAndDeletes() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        join("a", "edits");
        join("b", "edits");
        long id = send("a", "edits", "first draft");
        clients.refused("b", "not_found", "edit-message", Map.of("id", id, "text", "hijacked"));
        clients.refused("b", "not_found", "delete-message", Map.of("id", id));

        JsonNode edited = clients.ok("a", "edit-message", Map.of("id", id, "text", "final text"));
        assertEquals("final text", edited.path("message").path("text").asText());
        JsonNode update = clients.await("b", "message-updated", m -> m.path("id").asLong() == id);
        assertEquals("final text", update.path("text").asText());
        assertTrue(update.path("edited").asBoolean());

        clients.ok("a", "delete-message", Map.of("id", id));
        JsonNode deleted = clients.await("b", "message-deleted", m -> m.path("id").asLong() == id);
        assertEquals("edits", deleted.path("room").asText());
        JsonNode stored = clients.ok("b", "history", Map.of("room", "edits")).path("messages").path(0);
        assertTrue(stored.path("deleted").asBoolean());
        assertEquals("", stored.path("text").asText());
        assertFalse(stored.toString().contains("hijacked"));
    }

    @Test
    void unreadCountsFollowReadMarkersAndSkipOwnMessages() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        join("a", "unread");
        join("b", "unread");
        long first = send("a", "unread", "u1");
        send("a", "unread", "u2");
        send("a", "unread", "u3");
        send("b", "unread", "bob's own");
        assertEquals(3, clients.ok("b", "unread-counts").path("counts").path("unread").asInt());
        assertEquals(1, clients.ok("a", "unread-counts").path("counts").path("unread").asInt());
        clients.ok("b", "mark-read", Map.of("room", "unread", "lastId", first));
        assertEquals(2, clients.ok("b", "unread-counts").path("counts").path("unread").asInt());
        clients.refused("b", "not_in_room", "mark-read", Map.of("room", "elsewhere", "lastId", first));
    }

    @Test
    void directRoomsJoinBothUsersAndNobodyElse() {
        clients.connect("a", user("alice"));
        clients.connect("b1", user("bob"));
        clients.connect("b2", user("bob"));
        clients.connect("c", user("carol"));
        JsonNode dm = clients.ok("a", "direct", Map.of("userId", userId("bob")));
        String room = dm.path("room").asText();
        assertEquals(Rooms.direct(userId("alice"), userId("bob")), room);
        send("a", room, "psst");
        clients.awaitMessage("b1", "psst");
        clients.awaitMessage("b2", "psst");
        clients.refused("c", "not_in_room", "send-message-to-room", Map.of("room", room, "message", "me too"));
        clients.refused("c", "invalid_room", "join-room", room);
        JsonNode back = clients.ok("b1", "direct", Map.of("userId", userId("alice")));
        assertEquals(room, back.path("room").asText(), "the same room whoever starts it");
        assertEquals(List.of("psst"), texts(back.path("messages")));
        clients.refused("a", "invalid_user", "direct", Map.of("userId", userId("alice")));
        assertTrue(clients.received("c", "receive-message").stream().noneMatch(m -> m.path("text").asText()
                .equals("psst")));
    }

    @Test
    void messagesSentWhileTheTransportIsDownArriveAfterReconnecting() {
        clients.connect("a", user("alice"));
        clients.connect("b", user("bob"));
        join("a", "rec");
        join("b", "rec");
        send("a", "rec", "before the drop");
        long seen = clients.awaitMessage("b", "before the drop").path("id").asLong();

        clients.drop("b");
        // The client calls it "forced close"; the server sees its transport close, which recovery covers.
        assertEquals("forced close", clients.disconnected("b"));
        // The server has seen bob go once alice is told he left the room.
        clients.await("a", "presence-delta", d -> delta(d, "rec", "left", "bob"));
        send("a", "rec", "while you were away");

        clients.reconnect("b");
        JsonNode again = clients.connected("b", 2);
        List<String> missed;
        if (again.path("recovered").asBoolean()) {
            missed = List.of(clients.awaitMessage("b", "while you were away").path("text").asText());
        } else {
            join("b", "rec");
            missed = texts(clients.ok("b", "sync", Map.of("room", "rec", "after", seen)).path("messages"));
        }
        assertEquals(List.of("while you were away"), missed, "recovered: " + again.path("recovered"));
        // Alice saw bob go; she sees him back (his first arrival was his join, the second his reconnect).
        clients.awaitCount("a", "presence-delta", d -> delta(d, "rec", "joined", "bob"), 2);
    }

    @Test
    void acknowledgedMessagesSurviveARestart() throws Exception {
        clients.connect("a", user("alice"));
        join("a", "durable");
        send("a", "durable", "kept 1");
        send("a", "durable", "kept 2");
        clients.close();
        chat.restart();
        try (ChatClients after = chat.clients()) {
            after.connect("a", user("alice"));
            after.ok("a", "join-room", "durable");
            JsonNode history = after.ok("a", "history", Map.of("room", "durable"));
            assertEquals(List.of("kept 1", "kept 2"), texts(history.path("messages")));
        }
    }
}
