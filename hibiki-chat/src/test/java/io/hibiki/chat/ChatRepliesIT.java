package io.hibiki.chat;

import static io.hibiki.chat.ChatAccountsIT.connect;
import static io.hibiki.chat.ChatAccountsIT.signUp;
import static io.hibiki.chat.ChatAccountsIT.withCookie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.store.MessageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replies: a reply names a message of its own room and carries a quote of that parent as the parent is now (an
 * edit shows, a deletion leaves no trace of the old text); the thread view lists a parent's replies in order to its
 * room's members only, with a bound on how many one answer holds.
 */
class ChatRepliesIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void repliesQuoteTheirParentAsItIsNowAndThreadsListThemInOrder(String store) throws Exception {
        try (ChatFixture chat = ChatFixture.onStore(store, "hibiki_replies_it", dir.resolve("data"));
             ChatClients clients = chat.clients()) {
            ChatAccountsIT.privateTeam(chat, clients);
            long parent = clients.ok("alice", "send-message-to-room", Map.of("room", "team", "message",
                    "when do we ship?")).path("id").asLong();

            long first = clients.ok("bob", "send-message-to-room", Map.of("room", "team", "message", "friday",
                    "clientId", "reply-1", "replyTo", parent)).path("id").asLong();
            JsonNode live = clients.await("alice", "receive-message", m -> m.path("id").asLong() == first);
            assertEquals(parent, live.path("replyTo").path("id").asLong());
            assertEquals("alice", live.path("replyTo").path("author").asText());
            assertEquals("when do we ship?", live.path("replyTo").path("text").asText());
            // A retry of the reply is the same message, not a second reply.
            JsonNode retry = clients.ok("bob", "send-message-to-room", Map.of("room", "team", "message", "friday",
                    "clientId", "reply-1", "replyTo", parent));
            assertTrue(retry.path("duplicate").asBoolean());
            long second = clients.ok("alice", "send-message-to-room", Map.of("room", "team", "message", "ok",
                    "replyTo", parent)).path("id").asLong();

            JsonNode thread = clients.ok("bob", "thread", Map.of("id", parent));
            assertEquals("team", thread.path("room").asText());
            assertEquals(parent, thread.path("parent").path("id").asLong());
            assertEquals(List.of(first, second), ids(thread.path("replies")));
            assertTrue(thread.path("complete").asBoolean());
            // Outside the room the message does not exist, as everywhere else.
            clients.refused("carol", "not_found", "thread", Map.of("id", parent));
            clients.refused("carol", "not_found", "thread", Map.of("id", 987654321));

            // Only a message of the same room, by id, can be answered.
            clients.refused("bob", "invalid_reply", "send-message-to-room", Map.of("room", "general",
                    "message", "elsewhere", "replyTo", parent));
            clients.refused("bob", "invalid_reply", "send-message-to-room", Map.of("room", "team",
                    "message", "x", "replyTo", "1 OR 1=1"));
            clients.refused("bob", "invalid_reply", "send-message-to-room", Map.of("room", "team",
                    "message", "x", "replyTo", 987654321));
            clients.refused("bob", "invalid_reply", "send-message-to-room", Map.of("room", "team",
                    "message", "x", "replyTo", 1.5));

            // The quote follows its parent: edited, then deleted (no trace of the old text anywhere).
            clients.ok("alice", "edit-message", Map.of("id", parent, "text", "when do we ship v2?"));
            JsonNode quoted = byId(clients.ok("bob", "history", Map.of("room", "team")).path("messages"), first);
            assertEquals("when do we ship v2?", quoted.path("replyTo").path("text").asText());
            // An edited reply keeps its quote.
            JsonNode edited = clients.ok("bob", "edit-message", Map.of("id", first, "text", "friday, 5 pm"))
                    .path("message");
            assertEquals(parent, edited.path("replyTo").path("id").asLong());
            clients.ok("alice", "delete-message", Map.of("id", parent));
            JsonNode page = clients.ok("bob", "history", Map.of("room", "team")).path("messages");
            assertTrue(byId(page, first).path("replyTo").path("deleted").asBoolean());
            assertFalse(page.toString().contains("ship"), () -> "a deleted parent's text survived: " + page);
            clients.refused("bob", "invalid_reply", "send-message-to-room", Map.of("room", "team",
                    "message", "too late", "replyTo", parent));

            // A parent on an older page than its reply is quoted all the same.
            String long_ = "🚀".repeat(300);
            long far = clients.ok("alice", "send-message-to-room", Map.of("room", "team", "message", long_))
                    .path("id").asLong();
            clients.ok("alice", "send-message-to-room", Map.of("room", "team", "message", "filler"));
            long near = clients.ok("bob", "send-message-to-room", Map.of("room", "team", "message", "nice",
                    "replyTo", far)).path("id").asLong();
            JsonNode last = clients.ok("alice", "history", Map.of("room", "team", "limit", 1)).path("messages").path(0);
            assertEquals(near, last.path("id").asLong());
            String quote = last.path("replyTo").path("text").asText();
            assertEquals(MessageView.QUOTE_CHARS + 1, quote.codePointCount(0, quote.length()));
            assertTrue(quote.endsWith("🚀…"), quote);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aThreadAnswerIsBounded(String store) throws Exception {
        try (ChatFixture chat = ChatFixture.onStore(store, "hibiki_replies_it", dir.resolve("data"));
             ChatClients clients = chat.clients()) {
            connect(clients, "alice", withCookie(signUp(chat, "alice", "alice password")));
            long parent = clients.ok("alice", "send-message-to-room", Map.of("room", "general", "message", "poll"))
                    .path("id").asLong();
            MessageStore messages = chat.server().store();
            List<Long> replies = new ArrayList<>();
            for (int i = 0; i < Messages.THREAD_MAX + 5; i++) {
                replies.add(messages.append("general", null, "Seeder", "user-seeder-0001", "vote " + i, null, parent,
                        System.currentTimeMillis()).message().id());
            }
            JsonNode thread = clients.ok("alice", "thread", Map.of("id", parent));
            assertFalse(thread.path("complete").asBoolean());
            assertEquals(replies.subList(0, Messages.THREAD_MAX), ids(thread.path("replies")));
        }
    }

    private static List<Long> ids(JsonNode messages) {
        List<Long> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("id").asLong()));
        return out;
    }

    private static JsonNode byId(JsonNode messages, long id) {
        for (JsonNode m : messages) {
            if (m.path("id").asLong() == id) {
                return m;
            }
        }
        throw new AssertionError("no message " + id + " in " + messages);
    }
}
