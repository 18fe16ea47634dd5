package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static io.hibiki.chat.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, D3 from many throwaway users: the per-user limits mean little if one address can make new users
 * without end, so new identities and new direct conversations are also counted per address. Limits are set low
 * here to see them bite; the defaults are in SECURITY.md.
 */
class ChatIdentityLimitsIT {

    @Test
    void oneAddressMakesOnlySoManyNewUsersButReturningOnesAreNotCounted(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "NEW_USERS_PER_HOUR_PER_IP=5")) {
            ChatClients clients = chat.clients();
            for (int i = 0; i < 5; i++) {
                clients.connect("guest" + i, Map.of());
            }
            clients.open("guest5", Map.of("auth", Map.of(), "reconnection", false));
            JsonNode refused = clients.line(e -> e.path("event").asText().equals("connect_error")
                    && e.path("c").asText().equals("guest5"));
            assertTrue(refused.path("message").asText().contains("too many new users"), refused.toString());
            // Someone who has been here before presents their token and is let in.
            clients.connect("alice", user("alice"));
            clients.ok("alice", "send-message-to-room", Map.of("room", "general", "message", "still open"));
        }
    }

    @Test
    void newConversationsAreCountedPerAddressToo(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "NEW_CONVERSATIONS_PER_HOUR_PER_IP=3")) {
            ChatClients clients = chat.clients();
            clients.connect("vic", user("vic"));
            for (int i = 0; i < 3; i++) {
                clients.connect("spam" + i, user("spam" + i));
                clients.ok("spam" + i, "direct", Map.of("userId", userId("vic")));
            }
            clients.connect("spam3", user("spam3"));
            JsonNode answer = clients.refused("spam3", "rate_limited", "direct", Map.of("userId", userId("vic")));
            assertTrue(answer.toString().contains("address"), answer.toString());
            // A conversation that exists already is no new one: reopening it is not counted.
            clients.ok("spam0", "direct", Map.of("userId", userId("vic")));
            clients.awaitCount("vic", "room-added", e -> true, 3);
            assertEquals(3, clients.received("vic", "room-added").size(), "three conversations reached the victim");
        }
    }
}
