package io.hibiki.socketio;

import java.util.List;

/**
 * Runs before a socket's listeners for every inbound event, as Node's {@code socket.use(([event, ...args], next))}.
 * Call {@link Next#ok()} to go on, or {@link Next#fail(Exception)} to stop the event; failures reach the
 * socket's {@code onError} listeners.
 */
@FunctionalInterface
public interface SocketMiddleware {

    /**
     * Decides on one inbound event. Runs on the connection's event loop, or on the {@code listenerExecutor} when
     * one is set; a socket's middleware runs one after the other, in order of registration.
     *
     * @param event the event name
     * @param args  the event's arguments, without the name; binary attachments are binary nodes
     * @param next  the callback that lets the event through or stops it
     * @throws Exception to stop the event, as {@link Next#fail(Exception)} with that exception
     */
    void handle(String event, List<com.fasterxml.jackson.databind.JsonNode> args, Next next) throws Exception;

    /** Continues or stops an event. Only the first call counts; later ones are ignored. */
    interface Next {
        /** Lets the event go on to the next middleware, or to the socket's listeners after the last one. */
        void ok();

        /**
         * Stops the event: no listener sees it and an ack it asked for is not sent.
         *
         * @param error handed to the socket's {@code onError} listeners
         */
        void fail(Exception error);
    }
}
