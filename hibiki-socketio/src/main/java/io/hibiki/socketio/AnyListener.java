package io.hibiki.socketio;

/** Sees every event (inbound with {@code onAny}, outbound with {@code onAnyOutgoing}). */
@FunctionalInterface
public interface AnyListener {

    void onEvent(String event, java.util.List<?> args);
}
