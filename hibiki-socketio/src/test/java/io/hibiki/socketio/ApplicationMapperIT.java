package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code builder().mapper(appMapper)}: typed handlers bind with the application's mapper (its naming, here
 * snake_case) and what the server emits is written with it, while the wire stays as compact as Node's.
 */
class ApplicationMapperIT {

    record Greeting(String userName, int timesSeen) {
    }

    record Reply(String shoutedName, int nextTime) {
    }

    @Test
    void typedPayloadsGoThroughTheApplicationsMapper() {
        ObjectMapper app = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        try (SioFixture fx = SioFixture.start(b -> b.mapper(app))) {
            fx.io.onConnection(socket -> {
                socket.on("greet", Greeting.class, (Greeting g, Ack ack) ->
                        ack.send(new Reply(g.userName().toUpperCase(), g.timesSeen() + 1)));
                socket.emit("welcome", new Reply("SERVER", 1));
            });
            Puppet p = fx.puppet("--transports=websocket",
                    doArg(emitCmd("greet", true, Map.of("user_name", "ann", "times_seen", 2))));
            assertEquals("[{\"shouted_name\":\"ANN\",\"next_time\":3}]", p.awaitAck(0, "greet").get("args").toString(),
                    p.diagnostics());
            assertEquals("[{\"shouted_name\":\"SERVER\",\"next_time\":1}]",
                    p.awaitReceived(0, "welcome", 1).get(0).toString());
            // The server writes with a copy of the application's mapper that never indents.
            assertFalse(fx.io.mapper().isEnabled(SerializationFeature.INDENT_OUTPUT));
            assertTrue(app.isEnabled(SerializationFeature.INDENT_OUTPUT), "the application's own is left as it was");
        }
    }
}
