package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reactions: only room members react, only with the offered emoji; each person counts once per emoji and can take
 * it back; the room hears every change; history carries the tally with who reacted under their current names.
 */
class ChatReactionsIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void reactionsAreCountedOncePerPersonAndTravelWithTheMessage(String store) throws Exception {
        try (ChatFixture chat = ChatFixture.onStore(store, "hibiki_reactions_it", dir.resolve("data"));
             ChatClients clients = chat.clients()) {
            ChatAccountsIT.privateTeam(chat, clients);
            long id = clients.ok("alice", "send-message-to-room", Map.of("room", "team", "message", "ship it?"))
                    .path("id").asLong();

            clients.ok("bob", "react", Map.of("id", id, "emoji", "🚀"));
            JsonNode update = clients.await("alice", "reactions-updated", u -> u.path("id").asLong() == id);
            assertEquals("🚀", update.path("reactions").path(0).path("emoji").asText());
            assertEquals(1, update.path("reactions").path(0).path("count").asInt());
            assertEquals("bob", update.path("reactions").path(0).path("users").path(0).path("nickname").asText());
            // Twice is once.
            assertEquals(1, clients.ok("bob", "react", Map.of("id", id, "emoji", "🚀")).path("reactions").path(0)
                    .path("count").asInt());
            clients.ok("alice", "react", Map.of("id", id, "emoji", "🚀"));
            clients.ok("alice", "react", Map.of("id", id, "emoji", "👍"));
            JsonNode history = clients.ok("bob", "history", Map.of("room", "team")).path("messages").path(0);
            assertEquals(2, history.path("reactions").path(0).path("count").asInt());
            assertEquals("👍", history.path("reactions").path(1).path("emoji").asText());
            // Taken back.
            clients.ok("bob", "react", Map.of("id", id, "emoji", "🚀", "on", false));
            JsonNode after = clients.ok("alice", "sync", Map.of("room", "team", "after", 0)).path("messages").path(0);
            assertEquals(1, after.path("reactions").path(0).path("count").asInt());
            assertEquals("alice", after.path("reactions").path(0).path("users").path(0).path("nickname").asText());

            clients.refused("carol", "not_found", "react", Map.of("id", id, "emoji", "👍"));
            clients.refused("bob", "invalid_emoji", "react", Map.of("id", id, "emoji", "<img src=x>"));
            clients.refused("bob", "invalid_emoji", "react", Map.of("id", id, "emoji", "🤡"));
            clients.refused("bob", "not_found", "react", Map.of("id", 123456789, "emoji", "👍"));
        }
    }
}
