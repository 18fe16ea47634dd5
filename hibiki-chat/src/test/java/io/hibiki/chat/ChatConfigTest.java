package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings from variables, and the flags that override them. */
class ChatConfigTest {

    @Test
    void defaultsMatchTheReadme() {
        ChatConfig c = ChatConfig.from(Map.of());
        assertEquals("127.0.0.1", c.host());
        assertEquals(3000, c.port());
        assertEquals(List.of("/socket.io", "/api/socket_io"), c.socketIoPaths());
        assertEquals(List.of(), c.corsOrigins());
        assertEquals(Path.of("data"), c.dataDir());
        assertEquals(Path.of("data", "uploads"), c.uploadDir());
        assertNull(c.databaseUrl());
        assertNull(c.redisUrl());
        assertEquals(10 * 1024 * 1024, c.uploadMaxBytes());
        assertEquals("general", c.defaultRoom());
        assertEquals(2000, c.maxMessageChars());
        assertEquals(10.0, c.eventsPerSecond());
        assertEquals(30, c.eventBurst());
    }

    @Test
    void variablesAreParsed() {
        ChatConfig c = ChatConfig.from(Map.of("PORT", "0", "CORS_ORIGINS", " https://a.example , https://b.example,",
                "DATA_DIR", "/tmp/x", "DATABASE_URL", "  ", "UPLOAD_MAX_BYTES", "5"));
        assertEquals(0, c.port());
        assertEquals(List.of("https://a.example", "https://b.example"), c.corsOrigins());
        assertEquals(Path.of("/tmp/x", "uploads"), c.uploadDir(), "uploads follow DATA_DIR");
        assertNull(c.databaseUrl(), "blank means unset");
        assertEquals(5, c.uploadMaxBytes());
    }

    @Test
    void flagsOverrideVariables() {
        ChatConfig c = ChatConfig.fromEnvironment(new String[] {"--port=4100", "--cors-origins=https://x.example",
            "--max-message-chars=10", "--default-room=lobby"});
        assertEquals(4100, c.port());
        assertEquals(List.of("https://x.example"), c.corsOrigins());
        assertEquals(10, c.maxMessageChars());
        assertEquals("lobby", c.defaultRoom());
        assertThrows(IllegalArgumentException.class, () -> ChatConfig.fromEnvironment(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> ChatConfig.fromEnvironment(new String[] {"port=1"}));
    }
}
