package io.hibiki.spring.sample;

import static io.hibiki.testsupport.JsClients.emitWithAck;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.JsClients;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Redis adapter the starter configures from {@code hibiki.socketio.adapter.type}: two instances of the sample
 * on one Redis deliver a room message from a client of one to a client of the other.
 */
class SampleAdaptersIT {

    @ParameterizedTest
    @ValueSource(strings = {"redis", "sharded", "streams"})
    void twoInstancesShareARoom(String type) throws Exception {
        String key = "spring-" + type + "-" + System.nanoTime();
        String[] args = {"--hibiki.socketio.adapter.type=" + type,
                "--hibiki.socketio.adapter.url=redis://127.0.0.1:6379", "--hibiki.socketio.adapter.key=" + key};
        try (SampleApp a = SampleApp.start(args); SampleApp b = SampleApp.start(args);
             JsClients onB = JsClients.start(b.port, "websocket", 1, List.of(emitWithAck("joined", "join-room", "r")))) {
            onB.awaitAck(0, "joined");
            try (JsClients onA = JsClients.start(a.port, "websocket", 1,
                    List.of(emitWithAck("joined", "join-room", "r"),
                            emitWithAck("sent", "send-message-to-room", Map.of("room", "r", "message", type))))) {
                String sender = onA.awaitConnect(0);
                onA.awaitAck(0, "sent");
                JsonNode got = onB.awaitReceived(0, "receive-message",
                        m -> m.get(0).path("message").asText().equals(type));
                assertEquals(sender, got.get(0).get("from").asText(), onB.diagnostics());
            }
        }
    }
}
