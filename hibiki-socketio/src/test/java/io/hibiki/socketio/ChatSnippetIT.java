package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed chat snippet (docs/architecture.md) written with records, driven by the official client. */
class ChatSnippetIT {

    record RoomMessage(String room, String message) {
    }

    record ChatMessage(String author, String text) {
    }

    private static void install(SocketIoServer io) {
        io.on("connection", socket -> {
            socket.on("join-room", String.class, room -> {
                socket.join(room);
                io.to(room).emit("user-joined", "User " + socket.id() + " has joined the room.");
            });
            socket.on("send-message-to-room", RoomMessage.class, msg ->
                    io.to(msg.room()).emit("receive-message", new ChatMessage(socket.id(), msg.message())));
        });
    }

    private static List<String> texts(List<JsonNode> received) {
        return received.stream().map(args -> args.get(0).asText()).toList();
    }

    @Test
    void messagesReachOnlyTheRoomsMembers() {
        try (SioFixture fx = SioFixture.start()) {
            install(fx.io);
            Puppet p = fx.puppet("--clients=3");
            String[] ids = {p.awaitConnect(0), p.awaitConnect(1), p.awaitConnect(2)};
            Socket[] s = {fx.io.sockets().get(ids[0]), fx.io.sockets().get(ids[1]), fx.io.sockets().get(ids[2])};

            Puppet.command(s[0], emitCmd("join-room", false, "lobby"));
            p.awaitReceived(0, "user-joined", 1);
            Puppet.command(s[1], emitCmd("join-room", false, "lobby"));
            p.awaitReceived(1, "user-joined", 1);
            Puppet.command(s[2], emitCmd("join-room", false, "other"));
            p.awaitReceived(2, "user-joined", 1);

            String joined0 = "User " + ids[0] + " has joined the room.";
            String joined1 = "User " + ids[1] + " has joined the room.";
            assertEquals(List.of(joined0, joined1), texts(p.awaitReceived(0, "user-joined", 2)));
            assertEquals(List.of(joined1), texts(p.received(1, "user-joined")));
            assertEquals(List.of("User " + ids[2] + " has joined the room."), texts(p.received(2, "user-joined")));

            Puppet.command(s[0], emitCmd("send-message-to-room", false, Map.of("room", "lobby", "message", "hi all")));
            JsonNode toLobby = Puppet.JSON.valueToTree(Map.of("author", ids[0], "text", "hi all"));
            assertEquals(toLobby, p.awaitReceived(0, "receive-message", 1).get(0).get(0));
            assertEquals(toLobby, p.awaitReceived(1, "receive-message", 1).get(0).get(0));

            // Client 2 speaks in its own room: it hears only that, so the lobby message never reached it.
            Puppet.command(s[2], emitCmd("send-message-to-room", false, Map.of("room", "other", "message", "hello?")));
            List<JsonNode> heard = p.awaitReceived(2, "receive-message", 1);
            assertEquals(1, heard.size());
            assertEquals(Puppet.JSON.valueToTree(Map.of("author", ids[2], "text", "hello?")), heard.get(0).get(0));
            assertEquals(1, p.received(0, "receive-message").size());
        }
    }
}
