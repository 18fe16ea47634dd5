package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.PrivateRedis;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * with no further traffic needed to notice. And the same with PostgreSQL alone, when its cluster connections are cut.
 */
class ChatClusterOutageIT {

    private static final String DATABASE = "hibiki_chat_outage";

    @Test
    void messagesSentWhileRedisIsDownReachTheOtherInstanceAfterwards(@TempDir Path a, @TempDir Path b)
            throws Exception {
        try (PrivateRedis redis = PrivateRedis.start()) {
            twoInstances(a, b, "outage", "REDIS_URL=" + redis.url(), (onOne, onTwo, seen) -> {
                redis.kill();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String text = "during " + i;
                    // Stored and acknowledged: the database is up, only the cross-instance link is down.
                    onOne.ok("alice", "send-message-to-room", Map.of("room", "outage", "message", text));
                    sent.add(text);
                }
                redis.boot();
                resyncAndCatchUp(onOne, onTwo, seen, sent, "outage");
            });
        }
    }

    /**
     * PostgreSQL alone ({@code CLUSTER=postgres}): the instances' cluster connections are cut while the database
     * keeps answering the chat's own (already open) connections and takes no new ones for a while. Messages sent
     * meanwhile are stored but cannot cross; once the link is back, the other instance's clients re-sync.
     */
    @Test
    void messagesSentWhileThePostgresLinkIsCutReachTheOtherInstanceAfterwards(@TempDir Path a, @TempDir Path b)
            throws Exception {
        twoInstances(a, b, "cut", "CLUSTER=postgres", (onOne, onTwo, seen) -> {
            List<String> sent = new ArrayList<>();
            try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                    "postgres", ""); Statement st = admin.createStatement()) {
                st.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS false");
                try {
                    ResultSet cut = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE datname = '" + DATABASE + "' AND application_name = 'hibiki-chat-cluster'");
                    cut.next();
                    assertTrue(cut.getInt(1) >= 2, "the cluster connections of both instances were cut");
                    for (int i = 0; i < 3; i++) {
                        String text = "during " + i;
                        onOne.ok("alice", "send-message-to-room", Map.of("room", "cut", "message", text));
                        sent.add(text);
                    }
                } finally {
                    st.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS true");
                }
            }
            resyncAndCatchUp(onOne, onTwo, seen, sent, "cut");
        });
    }

    /**
     * Bob is told to re-sync and catch-up brings what he missed; a message sent afterwards reaches him live or
     * through one more re-sync, never silently not at all.
     */
    private static void resyncAndCatchUp(ChatClients onOne, ChatClients onTwo, long seen, List<String> sent,
                                         String room) throws Exception {
        // A new snapshot (the rooms again, from the database) tells bob to catch up.
        JsonNode resync = onTwo.await("bob", "snapshot", s -> s.path("reason").asText().equals("resync"));
        assertTrue(resync.path("rooms").toString().contains("\"" + room + "\""), resync.toString());
        JsonNode caught = onTwo.ok("bob", "catch-up", Map.of("rooms", Map.of(room, seen)));
        List<String> texts = new ArrayList<>();
        caught.path("rooms").path(room).path("messages").forEach(m -> texts.add(m.path("text").asText()));
        assertEquals(sent, texts, "what bob missed comes back through catch-up");
        // Afterwards a new message reaches bob live, or, if alice's instance had not got its own link back
        // yet when she sent it (its publish then fails and its recovery re-syncs every instance), through
        // one more snapshot and catch-up: never silently.
        int snapshots = onTwo.received("bob", "snapshot").size();
        long last = caught.path("rooms").path(room).path("lastId").asLong();
        onOne.ok("alice", "send-message-to-room", Map.of("room", room, "message", "after"));
        int[] seenSnapshots = {0};
        JsonNode next = onTwo.line(e -> e.path("event").asText().equals("recv")
                && e.path("c").asText().equals("bob")
                && (e.path("name").asText().equals("receive-message")
                        && e.path("args").path(0).path("text").asText().equals("after")
                    || e.path("name").asText().equals("snapshot") && ++seenSnapshots[0] > snapshots));
        if (next.path("name").asText().equals("snapshot")) {
            JsonNode again = onTwo.ok("bob", "catch-up", Map.of("rooms", Map.of(room, last)));
            assertTrue(again.path("rooms").path(room).path("messages").toString().contains("\"after\""),
                    again.toString());
        }
    }

    @Test
    void aPublishRefusedWhileTheLinkStaysUpIsAnnouncedWithoutFurtherTraffic(@TempDir Path a, @TempDir Path b)
            throws Exception {
        try (PrivateRedis redis = PrivateRedis.start()) {
            twoInstances(a, b, "acl", "REDIS_URL=" + redis.url(), (onOne, onTwo, seen) -> {
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
    }

    /** What a scenario gets: alice's client on one instance, bob's on the other, and bob's cursor. */
    @FunctionalInterface
    private interface Scenario {
        void run(ChatClients onOne, ChatClients onTwo, long seen) throws Exception;
    }

    /** Two instances on one PostgreSQL, linked as {@code cluster} says; alice, bob in {@code room}, "before" seen. */
    private static void twoInstances(Path a, Path b, String room, String cluster, Scenario scenario) throws Exception {
        String databaseUrl = TestDatabases.fresh(DATABASE);
        String[] shared = {"DATABASE_URL=" + databaseUrl, cluster};
        try (ChatFixture one = ChatFixture.start(a, shared);
             ChatFixture two = ChatFixture.start(b, shared);
             ChatClients onOne = one.clients();
             ChatClients onTwo = two.clients()) {
            onOne.connect("alice", user("alice"));
            onTwo.connect("bob", user("bob"));
            onOne.ok("alice", "join-room", room);
            onTwo.ok("bob", "join-room", room);
            onOne.ok("alice", "send-message-to-room", Map.of("room", room, "message", "before"));
            scenario.run(onOne, onTwo, onTwo.awaitMessage("bob", "before").path("id").asLong());
        }
    }
}
