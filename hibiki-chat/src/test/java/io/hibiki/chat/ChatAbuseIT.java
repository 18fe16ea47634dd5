package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static io.hibiki.chat.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client must not be able to flood, impersonate into or lock out the others through the chat's own events:
 * repeated joins, forged departures, rooms named like sockets, direct conversations pushed onto someone, and
 * nicknames that display as another user's.
 */
class ChatAbuseIT {

    @RegisterExtension
    static final SharedChat SHARED = new SharedChat("MAX_ROOMS_PER_USER=5");
    private final ChatClients clients = SHARED.clients();

    private long count(String c, String event, String room) {
        return clients.received(c, event).stream().filter(e -> e.toString().contains(room)).count();
    }

    @Test
    void joiningARoomAgainAnnouncesNothing() {
        clients.connect("o", user("observer"));
        clients.connect("a", user("amplifier"));
        clients.ok("o", "join-room", "amp");
        clients.ok("a", "join-room", "amp");
        List<JsonNode> again = clients.acks(clients.flood("a", 30, "join-room", "amp"), 30);
        assertTrue(again.stream().allMatch(x -> x.path("value").path("already").asBoolean()), again.toString());
        // A request of the observer's own, answered after everything the joins could have caused.
        clients.ok("o", "presence", "amp");
        clients.ok("a", "send-message-to-room", Map.of("room", "amp", "message", "after the joins"));
        clients.awaitMessage("o", "after the joins");
        long joined = clients.received("o", "user-joined").stream()
                .filter(t -> t.asText().contains("amplifier")).count();
        assertEquals(1, joined, "one user-joined for one join");
        long presence = clients.received("o", "presence-delta").stream()
                .filter(p -> p.path("room").asText().equals("amp") && p.toString().contains("amplifier")).count();
        assertEquals(1, presence, "one presence change for one join");
    }

    @Test
    void leavingARoomOneIsNotInIsRefusedAndAnnouncesNothing() {
        clients.connect("o", user("stayer"));
        clients.connect("f", user("forger"));
        clients.ok("o", "join-room", "calm");
        List<JsonNode> answers = clients.acks(clients.flood("f", 30, "leave-room", "calm"), 30);
        assertTrue(answers.stream().allMatch(x -> x.path("value").path("error").asText().equals("not_in_room")),
                answers.toString());
        clients.ok("o", "presence", "calm");
        clients.connect("o2", user("other"));
        clients.ok("o2", "join-room", "calm");
        clients.ok("o2", "send-message-to-room", Map.of("room", "calm", "message", "marker"));
        clients.awaitMessage("o", "marker");
        assertEquals(0, count("o", "user-left", "calm"), "no forged departures");
    }

    @Test
    void roomNamesShapedLikeSocketIdsAreRefusedOnEveryInstance() {
        String victim = clients.connect("v", user("victim")).path("id").asText();
        clients.connect("a", user("attacker"));
        clients.refused("a", "invalid_room", "join-room", victim);
        // A socket on another instance is invisible here; the shape alone is refused.
        clients.refused("a", "invalid_room", "join-room", "AbCdEfGhIjKlMnOpQr-_");
        clients.ok("a", "join-room", "twenty chars spaced x");
    }

    @Test
    void directConversationsPushedOnSomeoneCostThemNothingAndCanBeRefused() {
        clients.connect("v", user("vic"));
        List<String> spammers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String s = "spam" + i;
            spammers.add(s);
            clients.connect(s, user(s));
            clients.ok(s, "direct", Map.of("userId", userId("vic")));
        }
        // The victim still has their own five rooms' worth of room (MAX_ROOMS_PER_USER=5 here).
        for (int r = 0; r < 5; r++) {
            clients.ok("v", "join-room", "own-" + r);
        }
        clients.refused("v", "too_many_rooms", "join-room", "own-5");
        // They can leave a conversation, and block its author, who can then not open it again.
        String dm = Rooms.direct(userId("vic"), userId("spam0"));
        clients.ok("v", "leave-room", dm);
        clients.ok("v", "block", Map.of("userId", userId("spam1")));
        clients.refused("spam1", "invalid_user", "direct", Map.of("userId", userId("vic")));
        clients.connect("v2", user("vic"));
        JsonNode snapshot = clients.await("v2", "snapshot", x -> true);
        String rooms = snapshot.path("rooms").toString();
        assertTrue(!rooms.contains(dm) && !rooms.contains(Rooms.direct(userId("vic"), userId("spam1")))
                && rooms.contains(Rooms.direct(userId("vic"), userId("spam2"))), rooms);
    }

    @Test
    void anUnwantedConversationCanBeMutedEverywhereAndStaysMuted() {
        clients.connect("mv", user("mutevic"));
        clients.connect("mv2", user("mutevic"));
        clients.connect("pest", user("pest"));
        String dm = Rooms.direct(userId("mutevic"), userId("pest"));
        clients.ok("pest", "direct", Map.of("userId", userId("mutevic")));
        JsonNode muted = clients.ok("mv", "mute-room", Map.of("room", dm, "muted", true));
        assertTrue(muted.path("muted").asBoolean(), muted.toString());
        // The user's other tab hears of it; the conversation itself goes on (muting is not leaving).
        clients.await("mv2", "room-updated", r -> r.path("room").asText().equals(dm) && r.path("muted").asBoolean());
        clients.ok("pest", "send-message-to-room", Map.of("room", dm, "message", "still delivered"));
        clients.awaitMessage("mv", "still delivered");
        // A new connection finds it muted in its snapshot.
        clients.connect("mv3", user("mutevic"));
        JsonNode snapshot = clients.await("mv3", "snapshot", x -> true);
        JsonNode entry = null;
        for (JsonNode r : snapshot.path("rooms")) {
            if (r.path("room").asText().equals(dm)) {
                entry = r;
            }
        }
        assertTrue(entry != null && entry.path("muted").asBoolean(), snapshot.toString());
        clients.ok("mv", "mute-room", Map.of("room", dm, "muted", false));
        clients.await("mv3", "room-updated", r -> r.path("room").asText().equals(dm) && !r.path("muted").asBoolean());
        // Only a member can mute a room.
        clients.refused("pest", "not_in_room", "mute-room", Map.of("room", "never-joined-by-pest", "muted", true));
    }

    @Test
    void oneUserCannotOpenConversationsWithoutEnd(@TempDir Path dir) throws Exception {
        // A chat of its own: the shared one allows each user five rooms, and every conversation opened is one.
        try (ChatFixture chat = ChatFixture.start(dir); ChatClients own = chat.clients()) {
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < 22; i++) {
                String t = "target" + i;
                targets.add(t);
                own.connect(t, user(t));
            }
            own.connect("s", user("serial"));
            int refused = 0;
            for (String t : targets) {
                JsonNode answer = own.request("s", "direct", Map.of("userId", userId(t)));
                if (!answer.path("ok").asBoolean()) {
                    assertEquals("rate_limited", answer.path("error").asText(), answer.toString());
                    refused++;
                }
            }
            assertEquals(2, refused, "20 new conversations at once, then one every 30 s");
        }
    }

    @Test
    void nicknamesThatDisplayAsAnotherUsersAreRefused() {
        clients.open("z", Map.of("auth", Map.of("nickname", "alice\u200B")));
        JsonNode error = clients.line(e -> e.path("event").asText().equals("connect_error")
                && e.path("c").asText().equals("z"));
        assertTrue(error.path("message").asText().contains("invisible"), error.toString());
    }
}
