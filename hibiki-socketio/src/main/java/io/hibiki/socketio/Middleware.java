package io.hibiki.socketio;

/**
 * Runs before a socket joins a namespace, as Node's {@code io.use((socket, next) => …)}. Call exactly one of
 * {@link Next#ok()} or {@link Next#fail}, now or later (from any thread): a refusal reaches the client as
 * {@code connect_error} with the message and data.
 */
@FunctionalInterface
public interface Middleware {

    void handle(Socket socket, Next next) throws Exception;

    /** Continues or refuses a connection. */
    interface Next {
        void ok();

        void fail(String message);

        /** Refuses with extra JSON-able data, received by the client as {@code err.data}. */
        void fail(String message, Object data);
    }
}
