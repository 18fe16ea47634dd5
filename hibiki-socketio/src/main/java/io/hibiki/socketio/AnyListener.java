package io.hibiki.socketio;

/** Sees every event (inbound with {@code onAny}, outbound with {@code onAnyOutgoing}). */
@FunctionalInterface
public interface AnyListener {

    /**
     * Called for each event. An inbound event is seen before socket middleware runs, so also when a middleware
     * then refuses it. A runtime exception thrown here is logged and stops neither the other listeners nor the
     * event.
     *
     * @param event the event name
     * @param args  the event's arguments, without the name: JSON nodes for inbound events; for outbound ones the
     *              values given to {@code emit} (or JSON nodes when the packet came back decoded)
     */
    void onEvent(String event, java.util.List<?> args);
}
