package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.PrivateRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances share PostgreSQL and a Redis of the test's own, which goes away for a while: messages sent
 * meanwhile on one instance are stored and acknowledged but cannot cross to the other, so once Redis is back
 * every client gets a new snapshot ({@code reason: "resync"}) and catch-up brings what it missed, without a reload.
 */
class ChatClusterOutageIT {

    private static final String DATABASE = "hibiki_chat_outage";

    @Test
    void messagesSentWhileRedisIsDownReachTheOtherInstanceAfterwards(@TempDir Path a, @TempDir Path b)
            throws Exception {
        String databaseUrl = TestDatabases.fresh(DATABASE);
        try (PrivateRedis redis = PrivateRedis.start()) {
            String[] shared = {"DATABASE_URL=" + databaseUrl, "REDIS_URL=" + redis.url()};
            try (ChatFixture one = ChatFixture.start(a, shared);
                 ChatFixture two = ChatFixture.start(b, shared);
                 ChatClients onOne = one.clients();
                 ChatClients onTwo = two.clients()) {
                onOne.connect("alice", user("alice"));
                onTwo.connect("bob", user("bob"));
                onOne.ok("alice", "join-room", "outage");
                onTwo.ok("bob", "join-room", "outage");
                onOne.ok("alice", "send-message-to-room", Map.of("room", "outage", "message", "before"));
                long seen = onTwo.awaitMessage("bob", "before").path("id").asLong();

                redis.kill();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String text = "during " + i;
                    // Stored and acknowledged: the database is up, only the cross-instance link is down.
                    onOne.ok("alice", "send-message-to-room", Map.of("room", "outage", "message", text));
                    sent.add(text);
                }
                redis.boot();

                // A new snapshot (the rooms again, from the database) tells bob to catch up.
                JsonNode resync = onTwo.await("bob", "snapshot", s -> s.path("reason").asText().equals("resync"));
                assertTrue(resync.path("rooms").toString().contains("\"outage\""), resync.toString());
                JsonNode caught = onTwo.ok("bob", "catch-up", Map.of("rooms", Map.of("outage", seen)));
                List<String> texts = new ArrayList<>();
                caught.path("rooms").path("outage").path("messages").forEach(m -> texts.add(m.path("text").asText()));
                assertEquals(sent, texts, "what bob missed comes back through catch-up");
                // The link is whole again: new messages cross live.
                onOne.ok("alice", "send-message-to-room", Map.of("room", "outage", "message", "after"));
                onTwo.awaitMessage("bob", "after");
            }
        }
    }
}
