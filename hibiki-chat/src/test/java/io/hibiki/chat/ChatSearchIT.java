package io.hibiki.chat;

import static io.hibiki.chat.ChatAccountsIT.connect;
import static io.hibiki.chat.ChatAccountsIT.signUp;
import static io.hibiki.chat.ChatAccountsIT.withCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Search finds what a user may read and nothing else, on both stores: every word of the query, newest first,
 * the default room and the user's rooms only (a private room's messages stay its members'), never deleted
 * messages, a page at a time; the query's punctuation is never syntax.
 */
class ChatSearchIT {

    @TempDir
    Path dir;

    private static List<String> texts(JsonNode answer) {
        return StreamSupport.stream(answer.path("results").spliterator(), false)
                .map(m -> m.path("text").asText()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void searchFindsEveryWordInTheRoomsTheUserMayRead(String store) throws Exception {
        try (ChatFixture chat = ChatFixture.onStore(store, "hibiki_search_it", dir.resolve("data"));
             ChatClients clients = chat.clients()) {
            connect(clients, "alice", withCookie(signUp(chat, "alice", "alice password")));
            connect(clients, "bob", withCookie(signUp(chat, "bob", "bob password")));
            connect(clients, "carol", withCookie(signUp(chat, "carol", "carol password")));
            clients.ok("alice", "create-room", Map.of("room", "secret", "visibility", "private"));
            clients.ok("alice", "invite", Map.of("room", "secret", "handle", "bob"));
            clients.await("bob", "room-added", r -> r.path("room").asText().equals("secret"));
            clients.ok("alice", "send-message", Map.of("text", "The quarterly Report is ready", "clientId", "m1"));
            clients.ok("bob", "send-message", Map.of("text", "lunch at the Café at noon", "clientId", "m2"));
            clients.ok("alice", "send-message-to-room", Map.of("room", "secret", "message",
                    "quarterly numbers are secret", "clientId", "m3"));
            JsonNode draft = clients.ok("alice", "send-message", Map.of("text", "quarterly draft", "clientId", "m4"));
            clients.ok("alice", "delete-message", Map.of("id", draft.path("id").asLong()));

            assertEquals(List.of("quarterly numbers are secret", "The quarterly Report is ready"),
                    texts(clients.ok("bob", "search", Map.of("query", "quarterly"))), "newest first, both rooms");
            assertEquals(List.of("The quarterly Report is ready"),
                    texts(clients.ok("carol", "search", Map.of("query", "quarterly"))), "not a private room's");
            assertEquals(List.of("The quarterly Report is ready"),
                    texts(clients.ok("bob", "search", Map.of("query", "REPORT quarterly"))), "every word");
            assertEquals(List.of("The quarterly Report is ready"),
                    texts(clients.ok("carol", "search", Map.of("query", "quart"))), "the start of a word");
            assertEquals(List.of("lunch at the Café at noon"),
                    texts(clients.ok("carol", "search", Map.of("query", "café"))));
            // Punctuation separates words; nothing in a query is syntax to either store.
            JsonNode odd = clients.ok("carol", "search", Map.of("query", "quarterly & !| :* ( ' % _ \\"));
            assertEquals(List.of("quarterly"), StreamSupport.stream(odd.path("words").spliterator(), false)
                    .map(JsonNode::asText).toList());
            assertEquals(List.of("The quarterly Report is ready"), texts(odd));
            assertEquals(List.of(), texts(clients.ok("carol", "search", Map.of("query", "nothing-like-this"))));
            clients.refused("carol", "invalid_query", "search", Map.of("query", "   "));
            clients.refused("carol", "invalid_query", "search", Map.of("query", "?!"));
            clients.refused("carol", "invalid_query", "search", Map.of("query", "x".repeat(101)));

            // A page at a time, newest first, continued from the last id.
            for (int i = 0; i < 35; i++) {
                clients.ok("carol", "send-message", Map.of("text", "paging test " + i, "clientId", "p" + i));
            }
            JsonNode first = clients.ok("carol", "search", Map.of("query", "paging"));
            assertEquals(30, first.path("results").size());
            assertTrue(first.path("hasMore").asBoolean());
            assertEquals("paging test 34", first.path("results").path(0).path("text").asText());
            long last = first.path("results").path(29).path("id").asLong();
            JsonNode second = clients.ok("carol", "search", Map.of("query", "paging", "before", last));
            assertEquals(List.of("paging test 4", "paging test 3", "paging test 2", "paging test 1", "paging test 0"),
                    texts(second));
            assertFalse(second.path("hasMore").asBoolean());
        }
    }
}
