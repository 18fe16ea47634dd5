package io.hibiki.chat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hibiki.chat.account.Account;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database as the release before accounts left it (schema version 6, with rooms, memberships, messages, reads and
 * a revocation) is upgraded in place when this version opens it: nothing of its history is lost, the old users
 * stay guests with their ids, and accounts can be created next to them. On the embedded H2 file and on PostgreSQL.
 */
class DatabaseMigrationIT {

    private static final String LAST_RELEASE_SCHEMA = "6";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aDatabaseOfTheLastReleaseIsUpgradedWithItsHistory(String kind) throws Exception {
        String url = kind.equals("h2") ? null : fresh("hibiki_migration_it");
        String jdbc = Database.jdbcUrl(url, dir);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbc);
        if (url != null) {
            hc.setUsername("postgres");
        }
        try (HikariDataSource old = new HikariDataSource(hc)) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").baselineOnMigrate(true)
                    .baselineVersion("0").target(LAST_RELEASE_SCHEMA).load().migrate();
            // Rows as that release wrote them (its statements, not this version's code, which expects the new
            // columns).
            long t = 1_700_000_000_000L;
            try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO users (user_id, nickname, seen_at, revoked_before) VALUES "
                        + "('guestAAAAAAAAAAAAAAA', 'ann', " + t + ", 0), ('guestBBBBBBBBBBBBBBB', 'ben', " + t + ", 1234)");
                st.executeUpdate("INSERT INTO rooms (name, kind, last_seq, created_at) VALUES ('plans', 'room', 30, " + t
                        + "), ('dm:guestAAAAAAAAAAAAAAA:guestBBBBBBBBBBBBBBB', 'direct', 1, " + t + ")");
                st.executeUpdate("INSERT INTO memberships (user_id, room, joined_at, invited, muted) VALUES "
                        + "('guestAAAAAAAAAAAAAAA', 'plans', " + t + ", FALSE, FALSE), "
                        + "('guestBBBBBBBBBBBBBBB', 'plans', " + t + ", FALSE, TRUE), "
                        + "('guestAAAAAAAAAAAAAAA', 'dm:guestAAAAAAAAAAAAAAA:guestBBBBBBBBBBBBBBB', " + t + ", FALSE, FALSE), "
                        + "('guestBBBBBBBBBBBBBBB', 'dm:guestAAAAAAAAAAAAAAA:guestBBBBBBBBBBBBBBB', " + t + ", TRUE, FALSE)");
                for (int i = 1; i <= 30; i++) {
                    boolean ann = i % 2 == 0;
                    st.executeUpdate("INSERT INTO messages (id, room, client_id, author, user_id, text, created_at, seq) "
                            + "VALUES (" + (1000 + i) + ", 'plans', 'c-" + i + "', '" + (ann ? "ann" : "ben") + "', '"
                            + (ann ? "guestAAAAAAAAAAAAAAA" : "guestBBBBBBBBBBBBBBB") + "', 'message " + i + "', "
                            + (t + i) + ", " + i + ")");
                }
                st.executeUpdate("INSERT INTO messages (id, room, author, user_id, text, created_at, seq) VALUES (2000, "
                        + "'dm:guestAAAAAAAAAAAAAAA:guestBBBBBBBBBBBBBBB', 'ann', 'guestAAAAAAAAAAAAAAA', 'psst', " + t + ", 1)");
                st.executeUpdate("INSERT INTO room_reads (user_id, room, last_read) VALUES ('guestAAAAAAAAAAAAAAA', 'plans', 1030)");
            }
            assertEquals(LAST_RELEASE_SCHEMA, Flyway.configure().dataSource(old).locations("classpath:db/migration")
                    .load().info().current().getVersion().getVersion());
        }

        try (Database db = Database.open(url, dir)) {
            RoomStore rooms = new RoomStore(db.dataSource());
            MessageStore messages = new MessageStore(db.dataSource(), rooms);
            List<ChatMessage> history = messages.history("plans", null, 100);
            assertEquals(30, history.size());
            for (int i = 0; i < 30; i++) {
                assertEquals("message " + (i + 1), history.get(i).text());
                assertEquals(i + 1, history.get(i).seq());
            }
            assertTrue(rooms.isMember("guestAAAAAAAAAAAAAAA", "plans"));
            assertEquals(0, messages.unreadCounts("guestAAAAAAAAAAAAAAA", List.of("plans")).get("plans"));
            assertEquals(1234, rooms.revokedBefore("guestBBBBBBBBBBBBBBB"));
            assertEquals("ben", rooms.nickname("guestBBBBBBBBBBBBBBB").orElseThrow());
            RoomStore.RoomInfo plans = rooms.info("plans").orElseThrow();
            assertEquals("public", plans.visibility(), "rooms of the last release stay open to all");
            assertEquals("plans", plans.title());
            assertEquals(null, plans.ownerId());
            assertEquals("private", rooms.info("dm:guestAAAAAAAAAAAAAAA:guestBBBBBBBBBBBBBBB").orElseThrow()
                    .visibility());
            assertEquals(List.of("plans"), rooms.directory("", null, 10).stream().map(RoomStore.Listed::name).toList());
            assertTrue(rooms.roomsOf("guestBBBBBBBBBBBBBBB", 10).stream().anyMatch(m -> m.room().equals("plans")
                    && m.muted()));
            assertEquals("psst", messages.history("dm:guestAAAAAAAAAAAAAAA:guestBBBBBBBBBBBBBBB", null, 10).get(0)
                    .text());
            AccountStore accounts = new AccountStore(db.dataSource());
            Account a = accounts.create(new Account("acct-AAAAAAAAAAAAAAAAAAAAAA", "ann", "Ann", false, false),
                    "ann", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", true, 2L).orElseThrow();
            assertTrue(a.admin(), "the first account of an upgraded store is its admin");
            // The last release's messages keep appending with the next sequence number.
            assertEquals(31, messages.append("plans", "c-31", "Ann", a.userId(), "after the upgrade", null, null,
                    3L)
                    .message().seq());
        }
    }

    private static String fresh(String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        return "postgres://postgres@127.0.0.1:5432/" + name;
    }
}
