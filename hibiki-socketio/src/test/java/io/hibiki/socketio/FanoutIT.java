package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many clients in one room: each broadcast reaches every member exactly once, in order. */
class FanoutIT {

    private static final int CLIENTS = 200;
    private static final int BROADCASTS = 50;

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling,websocket"})
    void everyMemberGetsEveryBroadcastOnceInOrder(String transports) {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> socket.join("crowd"));
            NodeScript clients = fx.script("sio-fanout.mjs", "--clients=" + CLIENTS, "--count=" + BROADCASTS,
                    "--transports=" + transports);
            clients.await("ready", Duration.ofSeconds(40));
            SioFixture.eventually(() -> assertEquals(CLIENTS, fx.io.in("crowd").fetchSockets().get().size()),
                    clients.diagnostics());
            for (int i = 0; i < BROADCASTS; i++) {
                fx.io.to("crowd").emit("tick", i);
            }
            fx.io.to("crowd").emit("end");
            JsonNode summary = clients.await("summary", Duration.ofSeconds(40));
            assertEquals(CLIENTS, summary.get("perfect").asInt(), summary.toString());
            assertEquals(0, summary.get("problems").size(), summary.toString());
        }
    }
}
