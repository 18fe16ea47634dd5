package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS rebinding: a page on another site whose name resolves to the chat sends that name as {@code Host}. The chat
 * answers only to its own names (by default loopback and the host it listens on), on every route, the Socket.IO
 * endpoint included.
 */
class ChatHostIT {

    private static String status(int port, String path, String host) throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            return http.statusLine();
        }
    }

    @Test
    void onlyTheChatsOwnNamesAreAnswered(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir)) {
            int port = chat.port();
            for (String path : new String[] {"/", "/api/socket", "/socket.io/?EIO=4&transport=polling"}) {
                assertEquals("HTTP/1.1 421 Misdirected Request", status(port, path, "rebind.evil.example:" + port),
                        path);
                assertEquals("HTTP/1.1 200 OK", status(port, path, "localhost:" + port), path);
                assertEquals("HTTP/1.1 200 OK", status(port, path, "127.0.0.1:" + port), path);
            }
            assertEquals("HTTP/1.1 421 Misdirected Request", status(port, "/", ""));
        }
    }

    @Test
    void anOperatorNamesTheHostsBehindItsProxy(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "ALLOWED_HOSTS=chat.example,localhost")) {
            assertEquals("HTTP/1.1 200 OK", status(chat.port(), "/api/socket", "chat.example"));
            assertEquals("HTTP/1.1 200 OK", status(chat.port(), "/api/socket", "CHAT.example:443"));
            assertEquals("HTTP/1.1 421 Misdirected Request", status(chat.port(), "/api/socket", "127.0.0.1"));
        }
    }
}
