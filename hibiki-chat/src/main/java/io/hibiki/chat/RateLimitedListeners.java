package io.hibiki.chat;

import io.hibiki.socketio.EventListener;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.TokenBucket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection's event listeners behind its rate limit. An event over the limit gets a {@code chat-error}
 * {@code rate_limited} and, when the client asked for an ack, that error as the ack, so a request never waits
 * for an answer that will not come. Events without a listener are limited too (a socket middleware refuses them).
 */
final class RateLimitedListeners {

    private final Socket socket;
    private final TokenBucket bucket;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    RateLimitedListeners(Socket socket, TokenBucket bucket) {
        this.socket = socket;
        this.bucket = bucket;
        // Listened-to events are counted by their listener (which can answer the ack); the others here.
        socket.use((event, args, next) -> {
            if (registered.contains(event) || bucket.tryTake()) {
                next.ok();
            } else {
                next.fail(new ChatError("rate_limited", "too many events; slow down"));
            }
        });
    }

    void on(String event, EventListener listener) {
        registered.add(event);
        socket.on(event, (args, ack) -> {
            if (bucket.tryTake()) {
                listener.onEvent(args, ack);
                return;
            }
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("ok", false);
            error.put("error", "rate_limited");
            error.put("message", "too many events; slow down");
            socket.emit("chat-error", error);
            ack.send(error);
        });
    }
}
