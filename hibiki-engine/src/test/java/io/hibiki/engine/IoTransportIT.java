package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link IoTransport} serves the official engine.io-client (Node) the same: polling, the upgrade to
 * WebSocket, text and binary both ways, heartbeats.
 */
class IoTransportIT {

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void officialClientUpgradesAndEchoesOverEachTransport(IoTransport choice) {
        if (choice == IoTransport.IO_URING) {
            // Some container runtimes forbid io_uring; there the option fails at listen, which is its contract.
            Assumptions.assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: "
                    + IoUring.unavailabilityCause());
        }
        EngineServer server = new EngineServer(EngineOptions.builder().ioTransport(choice)
                .pingInterval(Duration.ofMillis(300)).build());
        server.onConnection(s -> {
            s.onMessage(s::send);
            s.onBinary(s::send);
        });
        try {
            int port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
            String expected = choice == IoTransport.AUTO ? (Epoll.isAvailable() ? "epoll" : "nio")
                    : choice.name().toLowerCase(Locale.ROOT);
            assertEquals(expected, server.ioTransportName());
            try (NodeScript client = NodeScript.start("engine-echo.mjs", "--url=http://127.0.0.1:" + port,
                    "--transports=polling,websocket", "--count=1000", "--pings=2")) {
                JsonNode done = client.await("done", Duration.ofSeconds(20));
                assertEquals(1000, done.get("texts").asInt());
                assertEquals(1000, done.get("binaries").asInt());
                assertTrue(done.get("pings").asInt() >= 2);
                assertEquals("websocket", done.get("transport").asText());
                assertTrue(done.get("upgraded").asBoolean());
                assertEquals(0, client.awaitExit(Duration.ofSeconds(20)), client.diagnostics());
            }
        } finally {
            server.close();
        }
    }
}
