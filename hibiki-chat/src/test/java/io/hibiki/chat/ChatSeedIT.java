package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed tutorial's contract, as its client uses it: socket.io-client with no auth at {@code /api/socket_io}
 * (and with the trailing slash), the seed's event names and payloads.
 */
@ParameterizedClass(name = "path {0}")
@ValueSource(strings = {"/api/socket_io", "/api/socket_io/"})
class ChatSeedIT {

    @Parameter
    String path;

    @RegisterExtension
    static final SharedChat SHARED = new SharedChat();
    private final ChatFixture chat = SHARED.server();
    private final ChatClients clients = SHARED.clients();

    /**
     * A seed client: no auth, the seed's path, the client's default transports (polling, then upgrade). Without
     * the trailing slash the client is told not to add one, so requests go to exactly {@code /api/socket_io?…}.
     */
    private JsonNode seedClient(String c) {
        clients.open(c, Map.of("path", path, "addTrailingSlash", path.endsWith("/"),
                "transports", List.of("polling", "websocket")));
        return clients.connected(c, 1);
    }

    @Test
    void apiSocketAnswers200WithAnEmptyBody() throws Exception {
        HttpResponse<String> res = chat.get("/api/socket");
        assertEquals(200, res.statusCode());
        assertEquals("", res.body());
    }

    @Test
    void helloFromClientIsAnsweredToTheSenderOnly() {
        seedClient("a");
        seedClient("b");
        clients.emit("a", "hello-from-client", "konnichiwa <3");
        JsonNode hello = clients.await("a", "hello-from-server", v -> true);
        assertEquals("Hello from the server! You said: konnichiwa <3", hello.asText());
        // b says hello after a's answer went out: had a's answer gone to b too, it would have come first.
        clients.emit("b", "hello-from-client", "from b");
        clients.await("b", "hello-from-server", v -> v.asText().endsWith("from b"));
        assertEquals(List.of("Hello from the server! You said: from b"),
                clients.received("b", "hello-from-server").stream().map(JsonNode::asText).toList());
    }

    @Test
    void sendMessageReachesEveryoneWithTheServersAuthor() {
        String aId = seedClient("a").path("id").asText();
        seedClient("b");
        clients.emit("a", "send-message", Map.of("author", "FORGED-ADMIN", "text", "hello all"));
        JsonNode atB = clients.awaitMessage("b", "hello all");
        JsonNode atA = clients.awaitMessage("a", "hello all");
        for (JsonNode m : List.of(atA, atB)) {
            assertFalse(m.path("author").asText().isEmpty());
            assertFalse(m.toString().contains("FORGED-ADMIN"), () -> "forged author leaked: " + m);
            assertEquals("hello all", m.path("text").asText());
            assertTrue(m.path("id").asLong() > 0);
            assertTrue(m.path("timestamp").asLong() > 0);
            assertEquals("general", m.path("room").asText());
            assertEquals(aId, m.path("userId").asText(), "a seed client's user id is its socket id");
        }
        assertEquals(atA.path("author").asText(), "guest-" + aId.substring(0, 5));
        assertEquals(atA, atB, "everyone receives the same message");
    }

    @Test
    void joinRoomTellsTheRoomsMembers() {
        seedClient("a");
        seedClient("b");
        clients.emit("a", "join-room", "lobby");
        JsonNode own = clients.await("a", "user-joined", v -> true);
        assertTrue(own.isTextual(), "user-joined carries a string");
        assertTrue(own.asText().matches("User guest-\\S+ has joined the room\\."), own.asText());
        clients.emit("b", "join-room", "lobby");
        JsonNode second = clients.await("a", "user-joined", v -> !v.equals(own));
        assertEquals(second, clients.await("b", "user-joined", v -> true));
        assertEquals(1, clients.received("b", "user-joined").size(), "b was not in the room when a joined");
    }

    @Test
    void sendMessageToRoomReachesOnlyThatRoom() {
        seedClient("a");
        seedClient("b");
        seedClient("c");
        clients.emit("a", "join-room", "blue");
        clients.await("a", "user-joined", v -> true);
        clients.emit("b", "join-room", "blue");
        clients.await("b", "user-joined", v -> true);
        clients.emit("c", "join-room", "red");
        clients.await("c", "user-joined", v -> true);

        clients.emit("a", "send-message-to-room", Map.of("room", "blue", "message", "only blue"));
        JsonNode atB = clients.awaitMessage("b", "only blue");
        JsonNode atA = clients.awaitMessage("a", "only blue");
        assertEquals("blue", atB.path("room").asText());
        assertEquals(atA.path("author").asText(), atB.path("author").asText());
        assertTrue(atB.path("author").asText().startsWith("guest-"));

        // c receives a later message to its own room; "only blue" was sent before it, so would have come first.
        clients.emit("a", "join-room", "red");
        clients.await("c", "user-joined", v -> !v.equals(clients.received("c", "user-joined").get(0)));
        clients.emit("a", "send-message-to-room", Map.of("room", "red", "message", "for red"));
        clients.awaitMessage("c", "for red");
        assertEquals(List.of("for red"),
                clients.received("c", "receive-message").stream().map(m -> m.path("text").asText()).toList());
    }
}
