package io.hibiki.chat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The message store against embedded H2 and a real PostgreSQL (127.0.0.1:5432, user postgres, trust auth). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class MessageStoreTest {

    private static final String PG_DB = "hibiki_test";
    private static Path h2Dir;

    @Parameter
    String backend;

    private static Database database;
    private MessageStore store;

    @BeforeParameterizedClassInvocation
    static void open(String backend) throws Exception {
        if (backend.equals("h2")) {
            h2Dir = Files.createTempDirectory("hibiki-store-");
            database = Database.open(null, h2Dir);
        } else {
            createPostgresDatabase();
            database = Database.open("postgres://postgres@127.0.0.1:5432/" + PG_DB, null);
        }
        assertEquals(backend.equals("postgresql"), database.isPostgres());
    }

    /** The test database, created once if missing (the server's {@code test} database is the way in). */
    private static void createPostgresDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + PG_DB + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            try {
                st.execute("CREATE DATABASE " + PG_DB);
            } catch (java.sql.SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another run
                    throw e;
                }
            }
        }
    }

    @AfterParameterizedClassInvocation
    static void close() {
        database.close();
    }

    @AfterAll
    static void removeFiles() throws Exception {
        if (h2Dir != null) {
            try (var files = Files.walk(h2Dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void clean() throws Exception {
        store = new MessageStore(database.dataSource(), new RoomStore(database.dataSource()));
        store.clear();
    }

    private ChatMessage add(String room, String userId, String text) throws Exception {
        MessageStore.Appended a = store.append(room, null, "nick-" + userId, userId, text, null, null, 1000L);
        assertTrue(a.created());
        return a.message();
    }

    private List<ChatMessage> fill(String room, int n) throws Exception {
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(add(room, "alice", "m" + i));
        }
        return out;
    }

    private static List<String> texts(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::text).toList();
    }

    @Test
    void appendStoresEverythingWithIncreasingIds() throws Exception {
        ChatMessage.Attachment file = new ChatMessage.Attachment("/uploads/abcdefghijklmnopqrst.png", "cat.png",
                "image/png", 123);
        ChatMessage first = store.append("r", "c-1", "Alice", "alice", "hi", file, null, 42L).message();
        ChatMessage second = add("r", "bob", "yo");
        ChatMessage third = add("other", "bob", "elsewhere");
        assertTrue(first.id() < second.id() && second.id() < third.id());
        ChatMessage read = store.find(first.id()).orElseThrow();
        assertEquals(new ChatMessage(first.id(), 1, "r", "c-1", "Alice", "alice", "hi", file, 42L, false, false, null),
                read);
        assertEquals(first, read);
    }

    @Test
    void concurrentSendersGetARoomSequenceWithoutHolesInIdOrder() throws Exception {
        int threads = 6;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sender = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        store.append(i % 2 == 0 ? "busy" : "quiet", "c" + sender + "-" + i, "n", "u" + sender,
                                "m", null, null, 1L);
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String room : List.of("busy", "quiet")) {
            List<ChatMessage> all = store.since(room, 0, 1000);
            assertEquals(threads * each / 2, all.size());
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).seq(), room + ": seq follows id order without holes");
            }
        }
    }

    @Test
    void duplicateClientIdReturnsTheFirstMessage() throws Exception {
        MessageStore.Appended first = store.append("r", "same", "Alice", "alice", "one", null, null, 1L);
        MessageStore.Appended retry = store.append("r", "same", "Alice", "alice", "one again", null, null, 2L);
        assertTrue(first.created());
        assertFalse(retry.created());
        assertEquals(first.message(), retry.message());
        // The same clientId in another room is another message; null clientIds never collide.
        assertTrue(store.append("r2", "same", "Alice", "alice", "two", null, null, 3L).created());
        assertTrue(store.append("r", null, "Alice", "alice", "x", null, null, 4L).created());
        assertTrue(store.append("r", null, "Alice", "alice", "x", null, null, 4L).created());
        assertEquals(List.of("one", "x", "x"), texts(store.history("r", null, 10)));
    }

    @Test
    void historyPagesNewestFirstPagesOldestFirstWithin() throws Exception {
        List<ChatMessage> all = fill("r", 7);
        fill("noise", 3);
        List<ChatMessage> page1 = store.history("r", null, 3);
        assertEquals(List.of("m4", "m5", "m6"), texts(page1));
        List<ChatMessage> page2 = store.history("r", page1.get(0).id(), 3);
        assertEquals(List.of("m1", "m2", "m3"), texts(page2));
        List<ChatMessage> page3 = store.history("r", page2.get(0).id(), 3);
        assertEquals(List.of("m0"), texts(page3));
        assertEquals(all.get(0), page3.get(0));
        assertEquals(List.of(), store.history("r", all.get(0).id(), 3));
        assertEquals(List.of(), store.history("empty", null, 3));
    }

    @Test
    void sinceReturnsWhatCameAfterAnId() throws Exception {
        List<ChatMessage> all = fill("r", 5);
        fill("noise", 2);
        assertEquals(List.of("m2", "m3", "m4"), texts(store.since("r", all.get(1).id(), 10)));
        assertEquals(List.of("m2", "m3"), texts(store.since("r", all.get(1).id(), 2)));
        assertEquals(List.of(), store.since("r", all.get(4).id(), 10));
        assertEquals(5, store.since("r", 0, 10).size());
    }

    @Test
    void onlyTheAuthorEditsOrDeletes() throws Exception {
        ChatMessage m = add("r", "alice", "original");
        assertTrue(store.edit(m.id(), "bob", "hacked").isEmpty());
        assertTrue(store.delete(m.id(), "bob").isEmpty());
        assertEquals("original", store.find(m.id()).orElseThrow().text());

        ChatMessage edited = store.edit(m.id(), "alice", "better").orElseThrow();
        assertEquals("better", edited.text());
        assertTrue(edited.edited());
        assertEquals(m.id(), edited.id());

        ChatMessage deleted = store.delete(m.id(), "alice").orElseThrow();
        assertTrue(deleted.deleted());
        assertEquals("", deleted.text());
        assertTrue(store.edit(m.id(), "alice", "resurrected").isEmpty(), "a deleted message cannot be edited");
        assertTrue(store.edit(999_999_999L, "alice", "none").isEmpty());
        assertTrue(store.delete(999_999_999L, "alice").isEmpty());
    }

    @Test
    void deleteDropsTheAttachment() throws Exception {
        ChatMessage.Attachment file = new ChatMessage.Attachment("/uploads/abcdefghijklmnopqrst.png", "a.png",
                "image/png", 5);
        ChatMessage m = store.append("r", null, "Alice", "alice", "pic", file, null, 1L).message();
        ChatMessage deleted = store.delete(m.id(), "alice").orElseThrow();
        assertEquals(null, deleted.attachment());
    }

    @Test
    void markReadNeverMovesBackwards() throws Exception {
        List<ChatMessage> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(add("r", "alice", "m" + i));
        }
        assertEquals(Map.of("r", 5L), store.unreadCounts("bob", List.of("r")));
        store.markRead("bob", "r", all.get(2).id());
        assertEquals(Map.of("r", 2L), store.unreadCounts("bob", List.of("r")));
        store.markRead("bob", "r", all.get(0).id());
        assertEquals(Map.of("r", 2L), store.unreadCounts("bob", List.of("r")), "the marker moved backwards");
        store.markRead("bob", "r", all.get(2).id());
        store.markRead("bob", "r", all.get(4).id());
        assertEquals(Map.of("r", 0L), store.unreadCounts("bob", List.of("r")));
    }

    @Test
    void unreadCountsExcludeOwnAndDeletedMessages() throws Exception {
        add("a", "alice", "1");
        add("a", "bob", "mine");
        ChatMessage gone = add("a", "alice", "2");
        add("a", "alice", "3");
        add("b", "carol", "x");
        store.delete(gone.id(), "alice");
        Map<String, Long> counts = store.unreadCounts("bob", List.of("a", "b", "c"));
        assertEquals(Map.of("a", 2L, "b", 1L, "c", 0L), counts);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(counts.keySet()), "counts keep the rooms' order");
        assertEquals(Map.of("a", 1L), store.unreadCounts("alice", List.of("a")));
    }

}
