package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.bin;
import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official JS client with socket.io-msgpack-parser against a server with {@link PacketParser#MSGPACK}: events
 * and acknowledgements both ways with binary inline, rooms, a namespace, a middleware's refusal with its data, an
 * unknown namespace; on long-polling (then the upgrade) and on WebSocket alone.
 */
class MsgPackParserIT {

    private static JsonNode binJson(int... bytes) {
        return Puppet.JSON.valueToTree(bin(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling,websocket", "websocket"})
    void eventsAcksBinaryAndRoomsTravelAsMsgPack(String transports) throws Exception {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start(b -> b.parser(PacketParser.MSGPACK))) {
            BlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();
            fx.io.onConnection(socket -> {
                socket.join("team");
                socket.on("upload", (args, ack) -> {
                    seen.add(args.get(0).get("name").asText());
                    seen.add(args.get(0).get("data").binaryValue());
                    seen.add(args.get(1).isNull());
                    ack.send(Map.of("size", args.get(0).get("data").binaryValue().length, "echo", args.get(0)),
                            new byte[] {9, 8});
                });
                // Last: the test takes a socket from here only once it is in the room.
                sockets.add(socket);
            });
            // The upload's second argument is null: JSON null both ways.
            List<Object> upload = java.util.Arrays.asList(Map.of("name", "a.bin", "data", bin(1, 2, 3)), null);
            Puppet p = fx.puppet("--parser=msgpack", "--transports=" + transports, "--clients=2",
                    doArg(Map.of("op", "emit", "event", "upload", "ack", true, "client", 0, "args", upload)));

            JsonNode ack = p.awaitAck(0, "upload");
            assertTrue(ack.get("err").isNull(), ack::toString);
            assertEquals(3, ack.get("args").get(0).get("size").asInt());
            assertEquals(binJson(1, 2, 3), ack.get("args").get(0).get("echo").get("data"));
            assertEquals("a.bin", seen.poll(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) seen.poll(5, TimeUnit.SECONDS));
            assertEquals(true, seen.poll(5, TimeUnit.SECONDS));
            // A room broadcast once both clients are in the room.
            Socket server = sockets.poll(5, TimeUnit.SECONDS);
            Socket other = sockets.poll(5, TimeUnit.SECONDS);
            assertTrue(other != null, "both clients connected");
            fx.io.to("team").emit("heard", "hi", 42, 1.5);
            for (int c = 0; c < 2; c++) {
                JsonNode heard = p.awaitReceived(c, "heard", 1).get(0);
                assertEquals("hi", heard.get(0).asText());
                assertEquals(42, heard.get(1).asInt());
                assertEquals(1.5, heard.get(2).asDouble());
            }
            // The server asks a client and gets its answer: an event with an ack, then the client's ACK packet.
            Args answer = server.timeout(SioFixture.WAIT).emitWithAck("question", new byte[] {5}, "x")
                    .get(10, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {5}, answer.getBytes(0));
            assertEquals("x", answer.getString(1));
            if (transports.startsWith("polling")) {
                p.awaitEvent("upgrade", 0, 0);
            }
        }
    }

    @Test
    void namespacesAndRefusalsCarryTheirData() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.parser(PacketParser.MSGPACK))) {
            fx.io.of("/admin").use((socket, next) -> next.fail("not allowed", Map.of("code", 403)));
            fx.io.of("/chat").onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
            Puppet admin = fx.puppet("--parser=msgpack", "--nsp=/admin");
            JsonNode refused = admin.awaitConnectError(0);
            assertEquals("not allowed", refused.get("message").asText());
            assertEquals(403, refused.get("data").get("code").asInt());
            Puppet unknown = fx.puppet("--parser=msgpack", "--nsp=/nowhere");
            assertEquals("Invalid namespace", unknown.awaitConnectError(0).get("message").asText());
            Puppet chat = fx.puppet("--parser=msgpack", "--nsp=/chat", doArg(emitCmd("ping", true)));
            assertEquals("pong", chat.awaitAck(0, "ping").get("args").get(0).asText());
        }
    }
}
