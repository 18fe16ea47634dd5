package io.hibiki.redis;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One official Java Socket.IO client (io.socket:socket.io-client) over WebSocket. It records every event it
 * receives, answers "ask" with {@code <answer>:<value>}, and joins rooms through the nodes' "join" handler.
 */
final class TestClient implements AutoCloseable {

    /** One received event. */
    record Event(String name, List<Object> args) {
    }

    private final Socket socket;
    private final List<Event> events = new ArrayList<>();
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private volatile String disconnectReason;

    private TestClient(int port, String answer) {
        IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
                .setTransports(new String[] {"websocket"}).build();
        socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
        socket.on(Socket.EVENT_CONNECT, a -> connected.complete(socket.id()));
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(
                new AssertionError("connect_error: " + Arrays.toString(a))));
        socket.on(Socket.EVENT_DISCONNECT, a -> disconnectReason = String.valueOf(a.length > 0 ? a[0] : ""));
        socket.on("ask", a -> ((Ack) a[a.length - 1]).call(answer + ":" + a[0]));
        socket.onAnyIncoming(a -> {
            if (!"ask".equals(a[0])) {
                synchronized (events) {
                    events.add(new Event(String.valueOf(a[0]), List.of(Arrays.copyOfRange(a, 1, a.length))));
                }
            }
        });
        socket.connect();
    }

    /** Connects to a node on {@code port} and joins {@code rooms}; returns once all that is done. */
    static TestClient connect(int port, String answer, String... rooms) {
        TestClient c = new TestClient(port, answer);
        try {
            c.connected.get(10, TimeUnit.SECONDS);
            for (String room : rooms) {
                CompletableFuture<Object> joined = new CompletableFuture<>();
                c.socket.emit("join", new Object[] {room}, a -> joined.complete(a[0]));
                joined.get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            c.close();
            throw new AssertionError("client could not connect to port " + port + ": " + e, e);
        }
        return c;
    }

    String id() {
        return socket.id();
    }

    /** Emits an event with an acknowledgement and returns the server's first ack argument. */
    Object call(String event, Object... args) {
        CompletableFuture<Object> ack = new CompletableFuture<>();
        socket.emit(event, args, a -> ack.complete(a.length > 0 ? a[0] : null));
        try {
            return ack.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no ack for " + event + ": " + e, e);
        }
    }

    /** The first event named {@code name}, if it came. */
    Optional<Event> find(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals(name)).findFirst();
        }
    }

    /** Every event named {@code name} so far. */
    List<Event> all(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }
    }

    /** Names of the events received so far, in order. */
    List<String> names() {
        synchronized (events) {
            return events.stream().map(Event::name).toList();
        }
    }

    /** Waits for an event named {@code name}. */
    Event await(String name) {
        Cluster.waitFor(() -> find(name).isPresent(), "event " + name + " at client " + id());
        return find(name).orElseThrow();
    }

    /** Waits for the disconnection and returns its reason. */
    String awaitDisconnect() {
        Cluster.waitFor(() -> disconnectReason != null, "disconnection of " + id());
        return disconnectReason;
    }

    boolean connected() {
        return socket.connected();
    }

    @Override
    public void close() {
        socket.close();
    }
}
