package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-socket hooks: onAny, onAnyOutgoing, socket middleware, and the disconnecting/disconnect sequence. */
class SocketLifecycleIT {

    @Test
    void onAnySeesEveryEventAndSocketMiddlewareCanRefuseOne() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> {
                socket.onAny((event, args) -> seen.add("any:" + event + args));
                socket.use((event, args, next) -> {
                    if (event.equals("forbidden")) {
                        next.fail(new IllegalStateException("refused " + args.get(0).asText()));
                    } else {
                        next.ok();
                    }
                });
                socket.onError(error -> seen.add("error:" + error.getMessage()));
                socket.on("forbidden", (args, ack) -> seen.add("listener:forbidden"));
                socket.on("allowed", (args, ack) -> {
                    seen.add("listener:allowed");
                    ack.send("ok");
                });
            });
            Puppet p = fx.puppet(doArg(emitCmd("forbidden", false, "x"), emitCmd("allowed", true, 1)));
            assertEquals("ok", p.awaitAck(0, "allowed").get("args").get(0).asText());
            assertEquals("any:forbidden[\"x\"]", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("error:refused x", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("any:allowed[1]", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("listener:allowed", seen.poll(5, TimeUnit.SECONDS));
            assertNull(seen.poll());
        }
    }

    @Test
    void onAnyOutgoingSeesEmitsAndBroadcasts() {
        List<String> outgoing = new CopyOnWriteArrayList<>();
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet();
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            socket.onAnyOutgoing((event, args) -> outgoing.add(event + args));
            socket.join("r");
            socket.emit("direct", 1);
            fx.io.to("r").emit("room", 2);
            fx.io.except("r").emit("not-for-it", 3);
            fx.io.emit("everyone", 4);
            p.awaitReceived(0, "everyone", 1);
            assertEquals(List.of("direct[1]", "room[2]", "everyone[4]"), outgoing);
            assertEquals(1, p.received(0, "room").size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "client disconnect,   client namespace disconnect, io client disconnect",
            "server disconnect,   server namespace disconnect, io server disconnect",
            "server close,        server namespace disconnect, io server disconnect",
            "transport drop,      transport close,             forced close",
    })
    void disconnectingSeesRoomsThenDisconnectGivesTheReason(String trigger, String serverReason, String clientReason)
            throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> {
                socket.join("r");
                socket.onDisconnecting(reason -> seen.add("disconnecting:" + reason.text() + ":"
                        + socket.rooms().contains("r") + ":" + socket.connected()));
                socket.onDisconnect(reason -> seen.add("disconnect:" + reason.text() + ":" + socket.rooms().isEmpty()
                        + ":" + socket.connected()));
                // Node's way of saying the same: socket.on("disconnect", reason => …).
                socket.on("disconnecting", (args, ack) -> seen.add("on-disconnecting:" + args.getString(0)));
                socket.on("disconnect", (args, ack) -> seen.add("on-disconnect:" + args.getString(0)));
            });
            Puppet p = fx.puppet("--transports=websocket");
            Socket socket = fx.io.sockets().get(p.awaitConnect(0));
            SioFixture.eventually(() -> assertEquals(Set.of(socket.id(), "r"), socket.rooms()), p.diagnostics());
            switch (trigger) {
                case "client disconnect" -> Puppet.tell(socket, Map.of("op", "disconnect"));
                case "server disconnect" -> socket.disconnect(false);
                case "server close" -> socket.disconnect(true);
                case "transport drop" -> Puppet.tell(socket, Map.of("op", "drop"));
                default -> throw new IllegalArgumentException(trigger);
            }
            assertEquals("disconnecting:" + serverReason + ":true:true", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("on-disconnecting:" + serverReason, seen.poll(5, TimeUnit.SECONDS));
            assertEquals("disconnect:" + serverReason + ":true:false", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("on-disconnect:" + serverReason, seen.poll(5, TimeUnit.SECONDS));
            assertEquals(clientReason, p.awaitDisconnect(0));
            assertNull(fx.io.sockets().get(socket.id()));
            assertNull(fx.io.of("/").adapter().rooms().get("r"));
            assertNull(seen.poll(), "each listener ran once");
        }
    }
}
