package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.engine.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clients restricted to one transport ({@code transports: [...]}) exchange events and acks both ways. */
class TransportsIT {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eventsAndAcksWorkOnASingleTransport(Transport transport) throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> {
                socket.on("hello", (args, ack) -> socket.emit("welcome", args.getString(0) + "!"));
                socket.on("twice", (args, ack) -> ack.send(args.get(0).asInt() * 2));
            });
            Puppet p = fx.puppet("--transports=" + transport.wireName(),
                    doArg(emitCmd("hello", false, "ann"), emitCmd("twice", true, 21)));
            assertEquals(42, p.awaitAck(0, "twice").get("args").get(0).asInt());
            assertEquals("ann!", p.awaitReceived(0, "welcome", 1).get(0).get(0).asText());

            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            Args answer = socket.timeout(Duration.ofSeconds(5)).emitWithAck("echo", Map.of("k", List.of(1, 2)))
                    .get(10, TimeUnit.SECONDS);
            assertEquals("[1,2]", answer.get(0).get("k").toString());
            for (int i = 0; i < 20; i++) {
                socket.emit("n", i);
            }
            assertEquals(20, p.awaitReceived(0, "n", 20).size());
            assertEquals(transport, socket.conn().transport(), "no upgrade happened");
            assertEquals(transport.wireName(), p.awaitEvent("connect", 0, 0).get("transport").asText());
        }
    }
}
