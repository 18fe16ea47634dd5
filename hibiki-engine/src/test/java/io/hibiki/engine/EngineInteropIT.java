package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official engine.io-client (Node) against our server over loopback. */
class EngineInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private EngineServer server;
    private int port;
    private final BlockingQueue<CloseReason> serverCloses = new LinkedBlockingQueue<>();

    private void start(EngineOptions options, java.util.function.Consumer<EngineSocket> onConnection) {
        server = new EngineServer(options);
        server.onConnection(s -> {
            s.onClose((reason, description) -> serverCloses.add(reason));
            onConnection.accept(s);
        });
        port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    private void startEcho(EngineOptions options) {
        start(options, s -> {
            s.onMessage(s::send);
            s.onBinary(s::send);
        });
    }

    private String url() {
        return "--url=http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
    void echoesThousandTextAndBinaryMessagesInOrderAndPings(String transports) {
        startEcho(EngineOptions.builder().pingInterval(Duration.ofMillis(300)).build());
        try (NodeScript client = NodeScript.start("engine-echo.mjs", url(), "--transports=" + transports,
                "--count=1000", "--pings=2")) {
            JsonNode done = client.await("done", WAIT);
            assertEquals(1000, done.get("texts").asInt());
            assertEquals(1000, done.get("binaries").asInt());
            assertTrue(done.get("pings").asInt() >= 2);
            String expected = transports.endsWith("websocket") ? "websocket" : "polling";
            assertEquals(expected, done.get("transport").asText());
            assertEquals(transports.contains(","), done.get("upgraded").asBoolean());
            assertEquals(0, client.awaitExit(WAIT), client.diagnostics());
            assertTrue(client.events().stream().noneMatch(e -> e.get("event").asText().equals("failure")),
                    client.diagnostics());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void closesWithPingTimeoutWhenTheClientStopsAnswering(String transport) throws Exception {
        startEcho(EngineOptions.builder().pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(300)).build());
        try (NodeScript client = NodeScript.start("engine-scenario.mjs", url(), "--scenario=silent",
                "--transports=" + transport)) {
            client.await("open", WAIT);
            assertEquals(CloseReason.PING_TIMEOUT, serverCloses.poll(10, TimeUnit.SECONDS));
            client.await("close", WAIT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void serverInitiatedCloseReachesTheClient(String transport) throws Exception {
        start(EngineOptions.DEFAULT, s -> {
            s.send("bye");
            s.close();
        });
        try (NodeScript client = NodeScript.start("engine-scenario.mjs", url(), "--scenario=wait-close",
                "--transports=" + transport)) {
            JsonNode message = client.await("message", WAIT);
            assertEquals("bye", message.get("data").asText());
            JsonNode close = client.await("close", WAIT);
            assertEquals("transport close", close.get("reason").asText(), client.diagnostics());
            assertEquals(CloseReason.FORCED_CLOSE, serverCloses.poll(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void rejectsMessagesOverMaxHttpBufferSize(String transport) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        start(EngineOptions.builder().maxHttpBufferSize(10_000).build(), s -> s.onMessage(received::add));
        try (NodeScript client = NodeScript.start("engine-scenario.mjs", url(), "--scenario=big", "--size=20000",
                "--transports=" + transport)) {
            client.await("close", WAIT);
            CloseReason reason = serverCloses.poll(10, TimeUnit.SECONDS);
            assertTrue(reason == CloseReason.TRANSPORT_ERROR || reason == CloseReason.TRANSPORT_CLOSE,
                    "close reason " + reason);
            assertTrue(received.isEmpty(), "oversized message must not be delivered");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void enforcedCorsRefusesDisallowedOriginsAndAcceptsAllowedOnes(String transport) throws Exception {
        startEcho(EngineOptions.builder()
                .cors(c -> c.allowOrigins("http://good.example").enforce(true)).build());
        try (NodeScript bad = NodeScript.start("engine-scenario.mjs", url(), "--scenario=wait-close",
                "--transports=" + transport, "--origin=http://evil.example")) {
            bad.await("error", WAIT);
            assertTrue(bad.events().stream().noneMatch(e -> e.get("event").asText().equals("open")));
        }
        try (NodeScript good = NodeScript.start("engine-scenario.mjs", url(), "--scenario=wait-close",
                "--transports=" + transport, "--origin=http://good.example")) {
            good.await("open", WAIT);
        }
    }
}
