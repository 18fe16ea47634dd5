package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.user;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop (SIGTERM, as {@code kill} or a container stop sends) ends the chat within the documented time, with
 * clients connected over both transports and polls waiting (issue 20: a shutdown once hung for over 18 s).
 */
class ChatShutdownIT {

    /** SECURITY.md and the README give 15 s: the engine's 8 s bound, the workers' 5 s, the database. */
    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Test
    void aStopEndsTheChatInTimeWithClientsConnected(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ChatProcess chat = ChatProcess.start("shutdown", port, Map.of("DATA_DIR", dir.toString(),
                "CHAT_SECRET", ChatClients.SECRET), dir);
        try (ChatClients clients = ChatClients.start(chat.url())) {
            for (int i = 0; i < 6; i++) {
                String c = "c" + i;
                clients.open(c, Map.of("auth", user("stopper" + i),
                        "transports", i % 2 == 0 ? List.of("polling") : List.of("websocket")));
                clients.connected(c, 1);
            }
            clients.ok("c0", "send-message-to-room", Map.of("room", "general", "message", "before the stop"));
            long took = chat.terminate(LIMIT);
            assertTrue(took >= 0, "the chat did not end within " + LIMIT + ": " + chat.tail());
        } finally {
            chat.close();
        }
    }
}
