package io.hibiki.spring.sample;

import io.hibiki.socketio.Socket;
import io.hibiki.spring.boot.annotation.OnConnect;
import io.hibiki.spring.boot.annotation.OnDisconnect;
import io.hibiki.spring.boot.annotation.OnEvent;
import io.hibiki.spring.boot.annotation.SocketIoController;
import io.hibiki.socketio.DisconnectReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Handlers the tests add to the sample (found by its component scan): binary, typed records through the
 * application's Jackson 3 mapper, returned futures, errors, and a slow handler for graceful shutdown.
 */
@SocketIoController(namespace = "/test")
class TestHandlers {

    record Person(String firstName, int age) { }

    record Greeting(String text, List<String> tags) { }

    final List<String> lifecycle = new CopyOnWriteArrayList<>();
    /** Counted down when the slow handler has started. */
    volatile CountDownLatch slowStarted = new CountDownLatch(1);

    @OnConnect
    void connected(Socket socket) {
        lifecycle.add("connect " + socket.id());
    }

    @OnDisconnect
    void disconnected(Socket socket, DisconnectReason reason) {
        lifecycle.add("disconnect " + socket.id() + " " + reason.text());
    }

    @OnEvent("reverse")
    byte[] reverse(byte[] data) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[data.length - 1 - i];
        }
        return out;
    }

    @OnEvent("greet")
    Greeting greet(Person person, String salutation) {
        return new Greeting(salutation + " " + person.firstName() + " (" + person.age() + ")", List.of("a", "b"));
    }

    @OnEvent("later")
    CompletableFuture<Integer> later(int n) {
        return CompletableFuture.supplyAsync(() -> n * 2);
    }

    /** Where handlers run: the starter's own threads, never an event loop. */
    @OnEvent("thread")
    String thread() {
        return Thread.currentThread().getName();
    }

    @OnEvent("fail")
    String fail() {
        throw new IllegalStateException("refused on purpose");
    }

    @OnEvent("slow")
    String slow() throws InterruptedException {
        slowStarted.countDown();
        TimeUnit.MILLISECONDS.sleep(1500);
        return "done";
    }
}
