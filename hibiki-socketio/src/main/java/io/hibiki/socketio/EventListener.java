package io.hibiki.socketio;

/** Handles one inbound event: its arguments, and the ack to answer with (possibly {@link Ack#NONE}). */
@FunctionalInterface
public interface EventListener {

    /**
     * Handles the event. Runs on the connection's event loop, or on the {@code listenerExecutor} when one is set.
     *
     * @param args the event's arguments
     * @param ack  the acknowledgement to answer with; {@link Ack#NONE} when the client asked for none
     * @throws Exception anything the handler fails with; it is logged and the socket stays connected (an
     *                   {@link Args.ArgumentTypeException} is logged at debug level only)
     */
    void onEvent(Args args, Ack ack) throws Exception;
}
