package io.hibiki.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat's per-address defaults: one address flooding handshakes gets 403 past its budget while another
 * address is still served, and sessions that never join the namespace are closed after the connect timeout.
 */
class ChatAddressLimitsIT {

    /** A polling handshake from {@code source} (a loopback address); returns the HTTP status. */
    private static int handshake(int port, String source) throws Exception {
        return handshake(port, source, null);
    }

    /** As {@link #handshake(int, String)}, with an {@code X-Forwarded-For} header when not null. */
    private static int handshake(int port, String source, String forwardedFor) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + (forwardedFor == null ? "" : "\r\nX-Forwarded-For: " + forwardedFor)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return Integer.parseInt(new String(head, StandardCharsets.US_ASCII).substring(9, 12));
        }
    }

    @Test
    void oneAddressCannotTakeEveryoneElsesSessions(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "MAX_CONNECTIONS_PER_IP=100",
                "HANDSHAKES_PER_SECOND_PER_IP=20", "CONNECT_TIMEOUT_MS=1000")) {
            int ok = 0;
            int refused = 0;
            for (int i = 0; i < 300; i++) {
                int status = handshake(chat.port(), "127.0.0.1");
                if (status == 200) {
                    ok++;
                } else {
                    assertEquals(403, status);
                    refused++;
                }
            }
            assertTrue(ok <= 100 + 5, ok + " sessions from one address");
            assertTrue(refused >= 190, refused + " refused");
            // Another address is served all the while.
            assertEquals(200, handshake(chat.port(), "127.0.0.2"));
            // Sessions that never join the namespace are closed after the connect timeout; over polling the close
            // packet waits for a poll that never comes, at most the ping timeout (20 s).
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .until(() -> chat.server().io().engine().clientsCount() == 0);
            assertEquals(200, handshake(chat.port(), "127.0.0.1"), "the address is served again once they are gone");
        }
    }

    @Test
    void behindATrustedProxyEachClientHasItsOwnBudget(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "MAX_CONNECTIONS_PER_IP=2", "TRUSTED_PROXIES=127.0.0.1")) {
            assertEquals(200, handshake(chat.port(), "127.0.0.1", "203.0.113.1"));
            assertEquals(200, handshake(chat.port(), "127.0.0.1", "203.0.113.1"));
            assertEquals(403, handshake(chat.port(), "127.0.0.1", "203.0.113.1"), "that client's two sessions");
            assertEquals(200, handshake(chat.port(), "127.0.0.1", "203.0.113.2"), "another client behind the proxy");
            // From an address that is not a trusted proxy the header is ignored: it is that address's budget.
            assertEquals(200, handshake(chat.port(), "127.0.0.2", "203.0.113.3"));
            assertEquals(200, handshake(chat.port(), "127.0.0.2", "203.0.113.4"));
            assertEquals(403, handshake(chat.port(), "127.0.0.2", "203.0.113.5"));
        }
    }
}
