package io.hibiki.spring.sample;

import static io.hibiki.testsupport.JsClients.emitWithAck;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.JsClients;
import io.hibiki.testsupport.NodeScript;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Spring sample with {@code hibiki.socketio.adapter.type=redis} and a plain Node socket.io server running the
 * same room chat on the same Redis: a message sent on either reaches the room's members on both, and the sample's
 * REST call lists members connected to the Node server.
 */
class SampleMixedClusterIT {

    @Test
    void theSpringSampleAndANodeServerShareRoomsThroughRedis() throws Exception {
        String key = "spring-mixed-" + System.nanoTime();
        String room = "mixed";
        try (NodeScript node = NodeScript.start("room-chat-node-server.mjs", "--key=" + key);
             SampleApp app = SampleApp.start("--hibiki.socketio.adapter.type=redis",
                     "--hibiki.socketio.adapter.url=redis://127.0.0.1:6379",
                     "--hibiki.socketio.adapter.key=" + key)) {
            int nodePort = node.await("listening", JsClients.WAIT).get("port").asInt();
            // Node's adapter subscribes after the server listens: wait until each side counts both servers, or a
            // broadcast sent in between is lost (Redis Pub/Sub keeps nothing for a subscriber not there yet).
            io.hibiki.socketio.SocketIoServer io = app.bean(io.hibiki.socketio.SocketIoServer.class);
            org.awaitility.Awaitility.await().atMost(JsClients.WAIT)
                    .until(() -> io.of("/").adapter().serverCount().get() == 2);
            try (JsClients onNode = JsClients.start(nodePort, "websocket", 1,
                    List.of(emitWithAck("joined", "join-room", room)))) {
                String nodeId = onNode.awaitConnect(0);
                // In the room before the Java client joins, or it could miss the Java join's announcement.
                onNode.awaitAck(0, "joined");
                try (JsClients onJava = JsClients.start(app.port, "polling,websocket", 1,
                        List.of(emitWithAck("joined", "join-room", room)))) {
                    String javaId = onJava.awaitConnect(0);
                    onJava.awaitAck(0, "joined");
                    // The Java join reaches the Node member through Redis.
                    onNode.awaitReceived(0, "user-joined", a -> a.get(0).asText().contains(javaId));

                    sendAndAwait(app.port, room, "from spring", onNode);
                    sendAndAwait(nodePort, room, "from node", onJava);
                    // fetchSockets across the cluster, through the sample's REST endpoint.
                    var http = java.net.http.HttpClient.newHttpClient();
                    var members = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + app.port + "/api/rooms/" + room + "/members")).timeout(JsClients.WAIT)
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, members.statusCode(), members.body());
                    List<?> ids = new com.fasterxml.jackson.databind.ObjectMapper().readValue(members.body(), List.class);
                    assertEquals(java.util.Set.of(nodeId, javaId), java.util.Set.copyOf(ids), members.body());
                }
            }
        }
    }

    /** A new client of the server on {@code port} joins the room and sends; {@code receiver} must get it from it. */
    private static void sendAndAwait(int port, String room, String text, JsClients receiver) {
        try (JsClients sender = JsClients.start(port, "websocket", 1,
                List.of(emitWithAck("joined", "join-room", room),
                        emitWithAck("sent", "send-message-to-room", Map.of("room", room, "message", text))))) {
            String senderId = sender.awaitConnect(0);
            sender.awaitAck(0, "sent");
            JsonNode got = receiver.awaitReceived(0, "receive-message",
                    a -> a.get(0).path("message").asText().equals(text));
            assertEquals(senderId, got.get(0).get("from").asText());
        }
    }
}
