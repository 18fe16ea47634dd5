package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static io.hibiki.chat.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the delivery issue found lost, each as a property checked with the official client at the shipped rate
 * limits: direct messages to someone offline, rooms after a reconnect, bursts over the rate limit.
 */
class ChatDeliveryIT {

    @RegisterExtension
    static final SharedChat SHARED = new SharedChat("EVENTS_PER_SECOND=10", "EVENT_BURST=30", "EVENT_QUEUE=50");
    private final ChatClients clients = SHARED.clients();

    /** The snapshot client {@code c} got on its {@code n}-th connect. */
    private JsonNode snapshot(String c) {
        return clients.await(c, "snapshot", s -> true);
    }

    private static JsonNode roomIn(JsonNode snapshot, String room) {
        for (JsonNode r : snapshot.path("rooms")) {
            if (r.path("room").asText().equals(room)) {
                return r;
            }
        }
        return null;
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("text").asText()));
        return out;
    }

    @Test
    void aDirectConversationReachesARecipientWhoWasOffline() {
        clients.connect("gina", user("gina"));
        clients.connect("hank", user("hank"));
        clients.connect("ivy", user("ivy"));
        String dm = clients.ok("gina", "direct", Map.of("userId", userId("hank"))).path("room").asText();
        // Hank, online, hears of the conversation at once.
        JsonNode added = clients.await("hank", "room-added", r -> r.path("room").asText().equals(dm));
        assertEquals("gina", added.path("peer").path("nickname").asText());

        clients.disconnect("hank");
        clients.disconnect("ivy");
        clients.ok("gina", "send-message-to-room", Map.of("room", dm, "message", "are you there?"));
        clients.ok("gina", "send-message-to-room", Map.of("room", dm, "message", "call me"));
        // A conversation started while the recipient is offline.
        String dmIvy = clients.ok("gina", "direct", Map.of("userId", userId("ivy"))).path("room").asText();
        clients.ok("gina", "send-message-to-room", Map.of("room", dmIvy, "message", "hi ivy"));

        clients.connect("hank2", user("hank"));
        JsonNode room = roomIn(snapshot("hank2"), dm);
        assertTrue(room != null, "the conversation is in hank's snapshot");
        assertEquals(2, room.path("unread").asInt());
        assertEquals("gina", room.path("peer").path("nickname").asText());
        JsonNode caught = clients.ok("hank2", "catch-up", Map.of("rooms", Map.of(dm, 0)));
        assertEquals(List.of("are you there?", "call me"), texts(caught.path("rooms").path(dm).path("messages")));
        assertTrue(caught.path("rooms").path(dm).path("complete").asBoolean());
        // Later messages arrive live.
        clients.ok("gina", "send-message-to-room", Map.of("room", dm, "message", "there you are"));
        clients.awaitMessage("hank2", "there you are");

        clients.connect("ivy2", user("ivy"));
        JsonNode ivyRoom = roomIn(snapshot("ivy2"), dmIvy);
        assertTrue(ivyRoom != null, "a conversation started while offline is in the snapshot");
        assertEquals(1, ivyRoom.path("unread").asInt());
        clients.refused("gina", "invalid_user", "direct", Map.of("userId", userId("nobody-ever-seen")));
    }

    @Test
    void aUserInFortyRoomsHasThemAllAfterReconnecting() {
        clients.connect("amy", user("amy"));
        String joins = clients.flood("amy", 40, "join-room", "forty-%i");
        List<JsonNode> answers = clients.acks(joins, 40);
        assertTrue(answers.stream().allMatch(a -> a.path("value").path("ok").asBoolean()),
                "40 joins at the shipped rate limit are held, not refused: " + answers);
        clients.disconnect("amy");

        // Four other users (each within its own budget) post into every room while amy is away.
        for (int b = 0; b < 4; b++) {
            String bot = "bot" + b;
            clients.connect(bot, user(bot));
            for (int r = b * 10; r < b * 10 + 10; r++) {
                clients.ok(bot, "join-room", "forty-" + r);
                clients.ok(bot, "send-message-to-room", Map.of("room", "forty-" + r, "message", "while away " + r));
            }
        }

        clients.connect("amy2", user("amy"));
        JsonNode snap = snapshot("amy2");
        assertEquals(41, snap.path("rooms").size(), "40 rooms and the default room: " + snap);
        Map<String, Object> cursors = new HashMap<>();
        for (int r = 0; r < 40; r++) {
            JsonNode room = roomIn(snap, "forty-" + r);
            assertTrue(room != null, "forty-" + r + " is in the snapshot");
            assertEquals(1, room.path("unread").asInt(), "forty-" + r + " has its unread message");
            cursors.put("forty-" + r, 0);
        }
        // Everything missed in one request.
        JsonNode caught = clients.ok("amy2", "catch-up", Map.of("rooms", cursors));
        for (int r = 0; r < 40; r++) {
            assertEquals(List.of("while away " + r),
                    texts(caught.path("rooms").path("forty-" + r).path("messages")));
        }
        // And the connection is in every room: new messages arrive live, without a join.
        for (int b = 0; b < 4; b++) {
            for (int r = b * 10; r < b * 10 + 10; r++) {
                clients.ok("bot" + b, "send-message-to-room", Map.of("room", "forty-" + r, "message", "live " + r));
            }
        }
        for (int r = 0; r < 40; r++) {
            clients.awaitMessage("amy2", "live " + r);
        }
        assertEquals(List.of(), clients.received("amy2", "chat-error"));
    }

    @Test
    void theTutorialClientsBurstIsHeldAndDeliveredInOrder() {
        clients.connect("watch", user("watcher"));
        clients.ok("watch", "join-room", "burst");
        // The tutorial's client: no identity, its own path, no acks.
        clients.open("tut", Map.of("path", "/api/socket_io"));
        clients.connected("tut", 1);
        clients.emit("tut", "join-room", "burst");
        clients.await("watch", "user-joined", t -> true);
        clients.burst("tut", 50, "send-message-to-room", Map.of("room", "burst", "message", "tut %i"));
        clients.awaitMessage("watch", "tut 49");
        List<String> seen = clients.received("watch", "receive-message").stream()
                .map(m -> m.path("text").asText()).filter(t -> t.startsWith("tut ")).toList();
        assertEquals(IntStream.range(0, 50).mapToObj(i -> "tut " + i).toList(), seen,
                "all 50 arrive, in the order sent");
        assertEquals(List.of(), clients.received("tut", "chat-error"));
    }

    @Test
    void aFloodIsAnsweredInFullAndWhatIsAcceptedIsStoredInOrder() {
        clients.connect("fl", user("flooder"));
        clients.ok("fl", "join-room", "ordered");
        int n = 120;
        String tag = clients.flood("fl", n, "send-message-to-room",
                Map.of("room", "ordered", "message", "f %i", "clientId", "flood-%i"));
        List<JsonNode> answers = clients.acks(tag, n);
        List<Integer> accepted = new ArrayList<>();
        for (JsonNode a : answers) {
            assertTrue(a.path("err").isNull(), "every send is answered: " + a);
            JsonNode v = a.path("value");
            if (v.path("ok").asBoolean()) {
                accepted.add(a.path("i").asInt());
            } else {
                assertEquals("rate_limited", v.path("error").asText(), v.toString());
            }
        }
        // The burst (less the join's token) and the whole queue are taken; only the excess is refused, and told so.
        assertTrue(accepted.size() >= 29 + 50, accepted.size() + " of " + n + " accepted");
        List<Integer> sorted = accepted.stream().sorted().toList();
        JsonNode history = clients.ok("fl", "history", Map.of("room", "ordered", "limit", 200));
        List<String> stored = texts(history.path("messages"));
        assertEquals(sorted.stream().map(i -> "f " + i).toList(), stored,
                "exactly the accepted messages are stored, in the order they were sent");
        long lastSeq = 0;
        for (JsonNode m : history.path("messages")) {
            assertEquals(lastSeq + 1, m.path("seq").asLong(), "room sequence numbers have no holes");
            lastSeq = m.path("seq").asLong();
        }
    }
}
