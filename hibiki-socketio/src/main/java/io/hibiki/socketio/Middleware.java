package io.hibiki.socketio;

/**
 * Runs before a socket joins a namespace, as Node's {@code io.use((socket, next) => …)}. Call exactly one of
 * {@link Next#ok()} or {@link Next#fail}, now or later (from any thread): a refusal reaches the client as
 * {@code connect_error} with the message and data.
 */
@FunctionalInterface
public interface Middleware {

    /**
     * Decides on a connecting socket. Runs on the connection's event loop, or on the {@code listenerExecutor}
     * when one is set; middleware of a namespace runs one after the other, in order of registration.
     *
     * @param socket the socket asking to join; not yet in the namespace, but its handshake and data can be used
     * @param next   the callback that lets the socket through or refuses it
     * @throws Exception to refuse the socket, with the exception's message (or its name when it has none)
     */
    void handle(Socket socket, Next next) throws Exception;

    /** Continues or refuses a connection. Only the first call counts; later ones are ignored. */
    interface Next {
        /** Lets the socket go on to the next middleware, or into the namespace after the last one. */
        void ok();

        /**
         * Refuses the socket; the client gets a {@code connect_error} with this message and no data.
         *
         * @param message the error message the client sees
         */
        void fail(String message);

        /**
         * Refuses with extra JSON-able data, received by the client as {@code err.data}.
         *
         * @param message the error message the client sees
         * @param data    JSON-able details for the client, or {@code null} for none
         */
        void fail(String message, Object data);
    }
}
