package io.hibiki.chat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store keeps its identity across restarts; a lost or replaced embedded database is noticed while the server
 * runs, and the store that replaces it never reissues an id the lost one gave out.
 */
class StoreIdentityTest {

    @TempDir
    Path dir;

    private static MessageStore messages(Database db) {
        return new MessageStore(db.dataSource(), new RoomStore(db.dataSource()));
    }

    private static long send(Database db, String text) throws Exception {
        db.ensureIntact();
        return messages(db).append("general", null, "Alice", "alice-0001", text, null, null,
                System.currentTimeMillis())
                .message().id();
    }

    @Test
    void idsAreNeverReusedWhenTheDatabaseFileIsLost() throws Exception {
        long lastOld;
        String firstStore;
        try (Database db = Database.open(null, dir)) {
            firstStore = db.storeId();
            long first = send(db, "one");
            lastOld = send(db, "two");
            assertTrue(lastOld > first);
            // Far above any small counter: a fresh store's ids start at the clock in microseconds.
            assertTrue(first > System.currentTimeMillis() * 1000 - 60_000_000L, "first id " + first);
        }
        try (Database db = Database.open(null, dir)) {
            assertEquals(firstStore, db.storeId(), "a restart keeps the store");
            lastOld = send(db, "three");
        }
        deleteAll(dir);
        try (Database db = Database.open(null, dir)) {
            assertNotEquals(firstStore, db.storeId(), "a new store has a new id");
            long fresh = send(db, "after the loss");
            assertTrue(fresh > lastOld, fresh + " must be above the lost store's last id " + lastOld);
        }
    }

    @Test
    void aDatabaseFileDeletedUnderTheServerRefusesWrites() throws Exception {
        try (Database db = Database.open(null, dir)) {
            send(db, "before");
            deleteAll(dir);
            assertThrows(StoreLostException.class, db::ensureIntact);
            assertThrows(StoreLostException.class, () -> send(db, "after"));
            db.verifyIdentity(); // logs, never throws
            assertThrows(StoreLostException.class, db::ensureIntact);
        }
    }

    private static void deleteAll(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!f.equals(dir)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
