package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database file is deleted under a running chat: sends are refused ({@code store_unavailable}) instead
 * of acknowledged into a lost file, and after a restart the new store has a new id and never reuses an id, so a
 * client syncing "after its last id" misses nothing.
 */
class ChatStoreLossIT {

    @Test
    void aLostDatabaseFileIsNoticedAndIdsAreNeverReused(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir)) {
            String store;
            long last;
            try (ChatClients clients = chat.clients()) {
                clients.connect("a", user("alice"));
                store = clients.await("a", "snapshot", s -> true).path("storeId").asText();
                last = clients.ok("a", "send-message", Map.of("text", "kept", "clientId", "k1")).path("id").asLong();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("hibiki-chat")).toList()) {
                        Files.delete(f);
                    }
                }
                clients.refused("a", "store_unavailable", "send-message", Map.of("text", "lost?", "clientId", "k2"));
            }
            chat.restart();
            try (ChatClients clients = chat.clients()) {
                clients.connect("a", user("alice"));
                String now = clients.await("a", "snapshot", s -> true).path("storeId").asText();
                assertNotEquals(store, now, "a client can tell the store changed");
                long id = clients.ok("a", "send-message", Map.of("text", "new store", "clientId", "k3"))
                        .path("id").asLong();
                assertTrue(id > last, "id " + id + " is above every id the lost store gave (" + last + ")");
                assertEquals(1, clients.ok("a", "history", Map.of("room", "general")).path("messages").size());
            }
        }
    }
}
