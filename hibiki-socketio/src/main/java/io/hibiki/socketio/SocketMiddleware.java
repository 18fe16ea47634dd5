package io.hibiki.socketio;

import java.util.List;

/**
 * Runs before a socket's listeners for every inbound event, as Node's {@code socket.use(([event, ...args], next))}.
 * Call {@link Next#ok()} to go on, or {@link Next#fail(Exception)} to stop the event; failures reach the
 * socket's {@code onError} listeners.
 */
@FunctionalInterface
public interface SocketMiddleware {

    void handle(String event, List<com.fasterxml.jackson.databind.JsonNode> args, Next next) throws Exception;

    interface Next {
        void ok();

        void fail(Exception error);
    }
}
