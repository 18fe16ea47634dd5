package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two chat instances on one PostgreSQL ({@code DATABASE_URL}), linked by Redis ({@code REDIS_URL}) or by
 * PostgreSQL alone ({@code CLUSTER=postgres}), behave as one chat: users on different instances talk in one room,
 * see each other online, and read one history.
 */
class ChatClusterIT {

    private static final String DATABASE = "hibiki_chat_cluster";

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void usersOnTwoInstancesChatInOneRoom(ClusterKind cluster, @TempDir Path a, @TempDir Path b) throws Exception {
        String[] shared = {"DATABASE_URL=" + TestDatabases.fresh(DATABASE), cluster.setting};
        try (ChatFixture one = ChatFixture.start(a, shared);
             ChatFixture two = ChatFixture.start(b, shared);
             ChatClients onOne = one.clients();
             ChatClients onTwo = two.clients()) {
            onOne.connect("alice", user("alice"));
            onTwo.connect("bob", user("bob"));
            onOne.ok("alice", "join-room", "cluster-room");
            onTwo.ok("bob", "join-room", "cluster-room");

            long id = onOne.ok("alice", "send-message-to-room",
                    Map.of("room", "cluster-room", "message", "hello from one")).path("id").asLong();
            JsonNode atBob = onTwo.awaitMessage("bob", "hello from one");
            assertEquals(id, atBob.path("id").asLong(), "the same stored message on both instances");
            assertEquals("alice", atBob.path("author").asText());

            onTwo.ok("bob", "send-message-to-room", Map.of("room", "cluster-room", "message", "hi from two"));
            onOne.awaitMessage("alice", "hi from two");

            // Presence is computed with fetchSockets, which spans the cluster.
            JsonNode presence = onTwo.ok("bob", "presence", "cluster-room");
            Set<String> online = new HashSet<>();
            presence.path("users").forEach(u -> online.add(u.path("nickname").asText()));
            assertEquals(Set.of("alice", "bob"), online);

            // History comes from the shared database, whichever instance answers.
            JsonNode history = onTwo.ok("bob", "history", Map.of("room", "cluster-room"));
            Set<String> texts = new HashSet<>();
            history.path("messages").forEach(m -> texts.add(m.path("text").asText()));
            assertTrue(texts.containsAll(Set.of("hello from one", "hi from two")), history.toString());
        }
    }
}
