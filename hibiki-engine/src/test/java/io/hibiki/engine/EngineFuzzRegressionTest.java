package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs the fuzz tests found to break the server, each kept as a named case. */
class EngineFuzzRegressionTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static String response(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    /**
     * Found by {@code EngineWireFuzzTest.rawBytesOnANewConnection}: Netty refuses such an upgrade by throwing after
     * the session was registered, which then stayed in the server for ever (counted against maxConnections and
     * maxConnectionsPerIp, no timers to expire it) while the client got no answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Connection: Upgrade\r\n", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"})
    void aWebSocketHandshakeNettyCannotAnswerIs400AndLeavesNoSession(String missingLine) {
        String full = "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        EmbeddedChannel ch = f.byteConnection();
        ch.writeInbound(Unpooled.copiedBuffer(full.replace(missingLine, ""), StandardCharsets.US_ASCII));
        ch.runPendingTasks();
        ch.checkException();
        String res = response(ch);
        assertTrue(res.startsWith("HTTP/1.1 400 Bad Request\r\n"), res);
        assertTrue(res.endsWith("{\"code\":3,\"message\":\"Bad request\"}"), res);
        assertFalse(ch.isOpen());
        assertEquals(0, f.server.clientsCount(), "no session may outlive the refused handshake");
        assertTrue(f.sockets.isEmpty(), "the application never saw a connection");
    }
}
