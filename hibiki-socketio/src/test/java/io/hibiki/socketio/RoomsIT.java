package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rooms: membership, and who receives to / except / socket.to broadcasts. */
class RoomsIT {

    /** The first argument of every "m" a client received, once it has seen the closing "end". */
    private static List<String> messages(Puppet p, int client) {
        p.awaitReceived(client, "end", 1);
        return p.received(client, "m").stream().map(args -> args.get(0).asText()).toList();
    }

    @Test
    void broadcastsReachExactlyTheSelectedMembers() {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--clients=4");
            Socket[] s = new Socket[4];
            for (int i = 0; i < 4; i++) {
                s[i] = fx.io.sockets().get(p.awaitConnect(i));
            }
            s[0].join("a");
            s[1].join("a", "b");
            s[2].join("b");
            assertEquals(Set.of(s[1].id(), "a", "b"), s[1].rooms());
            assertEquals(Set.of(s[0].id(), s[1].id()), fx.io.of("/").adapter().rooms().get("a"));

            fx.io.to("a").emit("m", "to-a");
            fx.io.to("a", "b").emit("m", "to-a-b");                  // s1 is in both rooms: once
            fx.io.to("a").to("b").except("b").emit("m", "ab-except-b");
            fx.io.except(s[0].id()).emit("m", "all-except-s0");
            fx.io.to("b").except(s[2].id()).emit("m", "b-except-s2");
            s[1].to("a").emit("m", "s1-to-a");                       // not back to the sender
            s[1].broadcast().emit("m", "s1-broadcast");
            s[1].leave("a");
            fx.io.to("a").emit("m", "a-after-s1-left");
            fx.io.in("nobody").emit("m", "to-empty-room");
            fx.io.emit("end");

            assertEquals(List.of("to-a", "to-a-b", "ab-except-b", "s1-to-a", "s1-broadcast", "a-after-s1-left"),
                    messages(p, 0));
            assertEquals(List.of("to-a", "to-a-b", "all-except-s0", "b-except-s2"), messages(p, 1));
            assertEquals(List.of("to-a-b", "all-except-s0", "s1-broadcast"), messages(p, 2));
            assertEquals(List.of("all-except-s0", "s1-broadcast"), messages(p, 3));
            assertEquals(Set.of(s[1].id(), "b"), s[1].rooms());
        }
    }

    @Test
    void roomsEmptyOnDisconnectAndClientsJoinThroughEvents() {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> {
                socket.on("join", (args, ack) -> {
                    socket.join(args.getString(0));
                    ack.send(socket.rooms().size());
                });
                socket.on("leave", (args, ack) -> {
                    socket.leave(args.getString(0));
                    ack.send(socket.rooms().size());
                });
            });
            Puppet p = fx.puppet("--clients=2", doArg(
                    emitCmd("join", true, "lobby"),
                    Map.of("op", "emit", "event", "leave", "ack", true, "args", List.of("lobby"), "tag", "left",
                            "client", 1)));
            assertEquals(2, p.awaitAck(0, "join").get("args").get(0).asInt(), "own room + lobby");
            JsonNode left = p.awaitAck(1, "left");
            assertEquals(1, left.get("args").get(0).asInt());
            Socket s0 = fx.io.sockets().get(p.awaitConnect(0));
            assertEquals(Set.of(s0.id()), fx.io.of("/").adapter().rooms().get("lobby"));

            Puppet.tell(s0, Map.of("op", "disconnect"));
            SioFixture.eventually(() -> assertNull(fx.io.of("/").adapter().rooms().get("lobby")),
                    p.diagnostics());
        }
    }
}
