package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void basicFlow() throws Exception {
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        try (SocketIoServer io = SocketIoServer.builder().build()) {
            io.use((socket, next) -> {
                log.add("auth:" + socket.handshake().auth().path("token").asText());
                next.ok();
            });
            io.onConnection(socket -> {
                socket.on("echo", (args, ack) -> ack.send(args.get(0), args.getBytes(1)));
                socket.on("join-room", String.class, room -> {
                    socket.join(room);
                    io.to(room).emit("user-joined", "User " + socket.id() + " has joined the room.");
                    socket.timeout(Duration.ofSeconds(5)).emitWithAck("greet", "bob").thenAccept(a -> {
                        log.add("greet:" + a.getString(0));
                        socket.emit("bye");
                    });
                });
                socket.onDisconnect(r -> log.add("disconnect:" + r.text()));
            });
            int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
            try (NodeScript c = NodeScript.start("sio-basic.mjs", "--url=http://127.0.0.1:" + port)) {
                JsonNode echo = c.await("echo", Duration.ofSeconds(10));
                assertEquals(1, echo.get("value").get("n").asInt());
                assertEquals("[1,2,3]", echo.get("binary").toString());
                JsonNode joined = c.await("user-joined", Duration.ofSeconds(10));
                assertEquals("User " + c.await("connect", Duration.ofSeconds(1)).get("id").asText()
                        + " has joined the room.", joined.get("text").asText());
                assertEquals("io client disconnect", c.await("disconnect", Duration.ofSeconds(10)).get("reason").asText());
            }
            assertEquals("auth:t0k3n", log.poll(5, TimeUnit.SECONDS));
            assertEquals("greet:hello bob", log.poll(5, TimeUnit.SECONDS));
            assertEquals("disconnect:client namespace disconnect", log.poll(5, TimeUnit.SECONDS));
        }
    }
}
