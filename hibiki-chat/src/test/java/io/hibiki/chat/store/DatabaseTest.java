package io.hibiki.chat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DATABASE_URL forms. */
class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void postgresUrlsBecomeJdbcUrls() {
        assertEquals("jdbc:postgresql://db.example:5432/chat",
                Database.jdbcUrl("postgres://app:secret@db.example/chat", dir));
        assertEquals("jdbc:postgresql://127.0.0.1:6543/chat?sslmode=require",
                Database.jdbcUrl("postgresql://app@127.0.0.1:6543/chat?sslmode=require", dir));
        assertEquals("jdbc:postgresql://h/d", Database.jdbcUrl("jdbc:postgresql://h/d", dir));
        assertThrows(IllegalArgumentException.class, () -> Database.jdbcUrl("mysql://h/d", dir));
    }

    @Test
    void withoutAUrlAnH2FileLivesInTheDataDirectory() {
        Path data = dir.resolve("nested").resolve("data");
        String url = Database.jdbcUrl(null, data);
        assertTrue(url.startsWith("jdbc:h2:file:" + data.toAbsolutePath().resolve("hibiki-chat")), url);
        assertTrue(Files.isDirectory(data));
        assertEquals(url, Database.jdbcUrl("  ", data));
    }
}
