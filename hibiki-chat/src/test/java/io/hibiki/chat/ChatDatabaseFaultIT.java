package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.PrivatePostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL drops every connection of the chat, and (on a server of the test's own) PostgreSQL restarts, while
 * users send: the chat stays up, a send that could not be stored is answered with an error rather than an ack,
 * the client's retry with the same clientId succeeds once the pool reconnects, and every acknowledged message is
 * stored exactly once.
 */
class ChatDatabaseFaultIT {

    private static final String DATABASE = "hibiki_chat_fault";

    @BeforeAll
    static void database() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
    }

    /** Ends every server process serving the chat's database: its connections, not the database server. */
    private static int dropConnections() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                     + DATABASE + "' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void acknowledgedMessagesSurviveLosingEveryDatabaseConnection(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "DATABASE_URL=postgres://postgres@127.0.0.1:5432/" + DATABASE);
             ChatClients clients = chat.clients()) {
            clients.connect("alice", user("alice"));
            clients.ok("alice", "join-room", "db-room");
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                if (i % 5 == 0) {
                    assertTrue(dropConnections() > 0, "the chat had database connections to lose");
                }
                Map<String, Object> msg = Map.of("room", "db-room", "message", "m" + i, "clientId", "fault-" + i);
                JsonNode answer = clients.request("alice", "send-message-to-room", msg);
                // The outbox's behaviour: resend with the same clientId until acknowledged (bounded here).
                for (int attempt = 0; attempt < 20 && !answer.path("ok").asBoolean(); attempt++) {
                    assertEquals("server_error", answer.path("error").asText(), answer.toString());
                    answer = clients.request("alice", "send-message-to-room", msg);
                }
                assertTrue(answer.path("ok").asBoolean(), "m" + i + " never acknowledged: " + answer);
                acked.add(answer.path("id").asLong());
            }
            assertStoredOnceInOrder(clients.ok("alice", "history", Map.of("room", "db-room", "limit", 100)), "m",
                    acked);
        }
    }

    /** The history holds exactly the acknowledged messages {@code prefix0..}, each once, in order, with their ids. */
    private static void assertStoredOnceInOrder(JsonNode history, String prefix, List<Long> acked) {
        List<String> texts = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        history.path("messages").forEach(m -> {
            texts.add(m.path("text").asText());
            ids.add(m.path("id").asLong());
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < acked.size(); i++) {
            expected.add(prefix + i);
        }
        assertEquals(expected, texts, "every acknowledged message stored once, in order");
        assertEquals(acked, ids);
    }

    /** Sends until acknowledged, as the UI's outbox does (bounded); returns the answers in order. */
    private static List<JsonNode> sendUntilAcked(ChatClients clients, String room, int i, Runnable afterFirstError)
            throws InterruptedException {
        Map<String, Object> msg = Map.of("room", room, "message", "r" + i, "clientId", "restart-" + i);
        List<JsonNode> answers = new ArrayList<>();
        // The pool waits up to 5 s for a connection before the server answers with an error; the UI waits 8 s.
        Duration ackTimeout = Duration.ofSeconds(8);
        JsonNode answer = clients.request("alice", ackTimeout, "send-message-to-room", msg);
        answers.add(answer);
        for (int attempt = 0; attempt < 60 && !answer.path("ok").asBoolean(); attempt++) {
            assertEquals("server_error", answer.path("error").asText(), answer.toString());
            if (answers.size() == 1) {
                afterFirstError.run();
            }
            Thread.sleep(100);
            answer = clients.request("alice", ackTimeout, "send-message-to-room", msg);
            answers.add(answer);
        }
        assertTrue(answer.path("ok").asBoolean(), "r" + i + " never acknowledged: " + answers);
        return answers;
    }

    @Test
    void acknowledgedMessagesSurviveADatabaseServerRestart(@TempDir Path dir) throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
             ChatFixture chat = ChatFixture.start(dir, "DATABASE_URL=" + pg.url());
             ChatClients clients = chat.clients()) {
            clients.connect("alice", user("alice"));
            clients.connect("bob", user("bob"));
            clients.ok("alice", "join-room", "restart-room");
            clients.ok("bob", "join-room", "restart-room");
            List<Long> acked = new ArrayList<>();
            int refusedWhileDown = 0;
            for (int i = 0; i < 20; i++) {
                Runnable restart = () -> { };
                if (i == 10) {
                    // A real server restart: PostgreSQL shuts down (ending every session) and is started again
                    // once the chat has seen a send fail, as after an administrator's restart.
                    pg.shutDown();
                    assertFalse(pg.accepting(), "the database is down");
                    restart = () -> {
                        try {
                            pg.boot();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    };
                }
                List<JsonNode> answers = sendUntilAcked(clients, "restart-room", i, restart);
                if (i == 10) {
                    refusedWhileDown = answers.size() - 1;
                }
                acked.add(answers.get(answers.size() - 1).path("id").asLong());
                clients.awaitMessage("bob", "r" + i);
            }
            assertTrue(refusedWhileDown > 0, "a send while the database was down was refused, not acknowledged");
            assertStoredOnceInOrder(clients.ok("bob", "history", Map.of("room", "restart-room", "limit", 100)), "r",
                    acked);
        }
    }
}
