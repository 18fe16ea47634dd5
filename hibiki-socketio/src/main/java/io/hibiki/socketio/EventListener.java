package io.hibiki.socketio;

/** Handles one inbound event: its arguments, and the ack to answer with (possibly {@link Ack#NONE}). */
@FunctionalInterface
public interface EventListener {

    void onEvent(Args args, Ack ack) throws Exception;
}
