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
            RoomStore rooms = new RoomStore(old);
            MessageStore messages = new MessageStore(old, rooms);
            long t = 1_700_000_000_000L;
            rooms.seen("guestAAAAAAAAAAAAAAA", "ann", t);
            rooms.seen("guestBBBBBBBBBBBBBBB", "ben", t);
            rooms.join("guestAAAAAAAAAAAAAAA", "plans", t);
            rooms.join("guestBBBBBBBBBBBBBBB", "plans", t);
            for (int i = 1; i <= 30; i++) {
                String who = i % 2 == 0 ? "guestAAAAAAAAAAAAAAA" : "guestBBBBBBBBBBBBBBB";
                messages.append("plans", "c-" + i, i % 2 == 0 ? "ann" : "ben", who, "message " + i, null, t + i);
            }
            messages.markRead("guestAAAAAAAAAAAAAAA", "plans", messages.lastId("plans"));
            rooms.revokeBefore("guestBBBBBBBBBBBBBBB", 1234);
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
            AccountStore accounts = new AccountStore(db.dataSource());
            Account a = accounts.create(new Account("acct-AAAAAAAAAAAAAAAAAAAAAA", "ann", "Ann", false, false),
                    "ann", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", true, 2L).orElseThrow();
            assertTrue(a.admin(), "the first account of an upgraded store is its admin");
            // The last release's messages keep appending with the next sequence number.
            assertEquals(31, messages.append("plans", "c-31", "Ann", a.userId(), "after the upgrade", null, 3L)
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
