package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socket.client.IO;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official Java client (io.socket:socket.io-client): connect, acks, room broadcasts and binary. */
class JavaClientIT {

    /** One Java client whose events land in a queue as "name" followed by its arguments. */
    private static final class JavaClient implements AutoCloseable {
        final io.socket.client.Socket socket;
        final BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();

        JavaClient(SioFixture fx, String transport) {
            IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
                    .setTransports(new String[] {transport}).build();
            socket = IO.socket(URI.create(fx.url()), options);
            socket.on(io.socket.client.Socket.EVENT_CONNECT, args -> events.add(new Object[] {"connect"}));
            socket.on("news", args -> events.add(new Object[] {"news", args[0], args[1]}));
            socket.on("end", args -> events.add(new Object[] {"end"}));
            socket.on("question", args -> {
                io.socket.client.Ack ack = (io.socket.client.Ack) args[args.length - 1];
                ack.call("answer to " + args[0], new byte[] {42});
            });
            socket.connect();
            fx.closeLater(this);
        }

        Object[] next(String name) throws InterruptedException {
            Object[] e;
            while ((e = events.poll(10, TimeUnit.SECONDS)) != null) {
                if (e[0].equals(name)) {
                    return e;
                }
            }
            throw new AssertionError("no \"" + name + "\" event");
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void connectAcksRoomsAndBinary(String transport) throws Exception {
        try (SioFixture fx = SioFixture.start()) {
            fx.io.onConnection(socket -> {
                socket.on("echo", (args, ack) -> ack.send(args.get(0), args.getBytes(1)));
                socket.on("join", (args, ack) -> {
                    socket.join(args.getString(0));
                    ack.send("joined " + args.getString(0));
                });
            });
            JavaClient member = new JavaClient(fx, transport);
            JavaClient outsider = new JavaClient(fx, transport);
            member.next("connect");
            outsider.next("connect");
            Socket server = fx.io.sockets().get(member.socket.id());
            assertEquals(transport, server.conn().transport().wireName());

            BlockingQueue<Object[]> acks = new LinkedBlockingQueue<>();
            JSONObject payload = new JSONObject().put("name", "f").put("parts", new JSONArray()
                    .put(new byte[] {1, 2}).put(new JSONObject().put("inner", new byte[] {3})));
            member.socket.emit("echo", new Object[] {payload, new byte[] {9, 8}}, acks::add);
            Object[] echo = acks.poll(10, TimeUnit.SECONDS);
            JSONObject back = (JSONObject) echo[0];
            assertEquals("f", back.getString("name"));
            assertArrayEquals(new byte[] {1, 2}, (byte[]) back.getJSONArray("parts").get(0));
            assertArrayEquals(new byte[] {3}, (byte[]) back.getJSONArray("parts").getJSONObject(1).get("inner"));
            assertArrayEquals(new byte[] {9, 8}, (byte[]) echo[1]);

            member.socket.emit("join", new Object[] {"r"}, acks::add);
            assertEquals("joined r", acks.poll(10, TimeUnit.SECONDS)[0]);
            fx.io.to("r").emit("news", Map.of("headline", "hi", "blob", new byte[] {7}), List.of(new byte[] {5, 6}));
            fx.io.emit("end");
            Object[] news = member.next("news");
            JSONObject first = (JSONObject) news[1];
            assertEquals("hi", first.getString("headline"));
            assertArrayEquals(new byte[] {7}, (byte[]) first.get("blob"));
            assertArrayEquals(new byte[] {5, 6}, (byte[]) ((JSONArray) news[2]).get(0));
            outsider.next("end");
            assertTrue(outsider.events.stream().noneMatch(e -> e[0].equals("news")), "not a member");

            Args answer = server.timeout(Duration.ofSeconds(5)).emitWithAck("question", "life")
                    .get(10, TimeUnit.SECONDS);
            assertEquals("answer to life", answer.getString(0));
            assertArrayEquals(new byte[] {42}, answer.getBytes(1));
        }
    }
}
