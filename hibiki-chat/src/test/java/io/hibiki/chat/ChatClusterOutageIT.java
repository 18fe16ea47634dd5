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
 * The same when Redis stays up but refuses one publish (its ACL, here): the other instance's clients are told,
 * with no further traffic needed to notice.
 */
class ChatClusterOutageIT {

    private static final String DATABASE = "hibiki_chat_outage";

    @Test
    void messagesSentWhileRedisIsDownReachTheOtherInstanceAfterwards(@TempDir Path a, @TempDir Path b)
            throws Exception {
        twoInstances(a, b, "outage", (redis, onOne, onTwo, seen) -> {
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
            // Afterwards a new message reaches bob live, or, if alice's instance had not got its own link back
            // yet when she sent it (its publish then fails and its recovery re-syncs every instance), through
            // one more snapshot and catch-up: never silently.
            int snapshots = onTwo.received("bob", "snapshot").size();
            long last = caught.path("rooms").path("outage").path("lastId").asLong();
            onOne.ok("alice", "send-message-to-room", Map.of("room", "outage", "message", "after"));
            int[] seenSnapshots = {0};
            JsonNode next = onTwo.line(e -> e.path("event").asText().equals("recv")
                    && e.path("c").asText().equals("bob")
                    && (e.path("name").asText().equals("receive-message")
                            && e.path("args").path(0).path("text").asText().equals("after")
                        || e.path("name").asText().equals("snapshot") && ++seenSnapshots[0] > snapshots));
            if (next.path("name").asText().equals("snapshot")) {
                JsonNode again = onTwo.ok("bob", "catch-up", Map.of("rooms", Map.of("outage", last)));
                assertTrue(again.path("rooms").path("outage").path("messages").toString().contains("\"after\""),
                        again.toString());
            }
        });
    }

    @Test
    void aPublishRefusedWhileTheLinkStaysUpIsAnnouncedWithoutFurtherTraffic(@TempDir Path a, @TempDir Path b)
            throws Exception {
        twoInstances(a, b, "acl", (redis, onOne, onTwo, seen) -> {
            int snapshots = onTwo.received("bob", "snapshot").size();

            assertEquals("OK", redis.cli("ACL", "SETUSER", "default", "-publish"));
            // Stored and acknowledged; its publish is refused while both connections stay open.
            onOne.ok("alice", "send-message-to-room", Map.of("room", "acl", "message", "not published"));
            assertEquals("OK", redis.cli("ACL", "SETUSER", "default", "+publish"));

            int[] counted = {0};
            onTwo.line(e -> e.path("event").asText().equals("recv") && e.path("c").asText().equals("bob")
                    && e.path("name").asText().equals("snapshot") && ++counted[0] > snapshots);
            JsonNode caught = onTwo.ok("bob", "catch-up", Map.of("rooms", Map.of("acl", seen)));
            assertTrue(caught.path("rooms").path("acl").path("messages").toString().contains("not published"),
                    caught.toString());
        });
    }

    /** What a scenario gets: the Redis both instances share, alice's client on one, bob's on two, and bob's cursor. */
    @FunctionalInterface
    private interface Scenario {
        void run(PrivateRedis redis, ChatClients onOne, ChatClients onTwo, long seen) throws Exception;
    }

    /** Two instances on one PostgreSQL and a Redis of the test's own; alice and bob in {@code room}, "before" seen. */
    private static void twoInstances(Path a, Path b, String room, Scenario scenario) throws Exception {
        String databaseUrl = TestDatabases.fresh(DATABASE);
        try (PrivateRedis redis = PrivateRedis.start()) {
            String[] shared = {"DATABASE_URL=" + databaseUrl, "REDIS_URL=" + redis.url()};
            try (ChatFixture one = ChatFixture.start(a, shared);
                 ChatFixture two = ChatFixture.start(b, shared);
                 ChatClients onOne = one.clients();
                 ChatClients onTwo = two.clients()) {
                onOne.connect("alice", user("alice"));
                onTwo.connect("bob", user("bob"));
                onOne.ok("alice", "join-room", room);
                onTwo.ok("bob", "join-room", room);
                onOne.ok("alice", "send-message-to-room", Map.of("room", room, "message", "before"));
                scenario.run(redis, onOne, onTwo, onTwo.awaitMessage("bob", "before").path("id").asLong());
            }
        }
    }
}
