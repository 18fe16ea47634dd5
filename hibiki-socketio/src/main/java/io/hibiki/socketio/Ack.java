package io.hibiki.socketio;

/**
 * Answers a client's event that asked for an acknowledgement. Only the first {@link #send} counts. When the
 * client asked for none, {@link #requested()} is false and {@code send} does nothing.
 */
public interface Ack {

    /** An ack for events that asked for none. */
    Ack NONE = new Ack() {
        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public void send(Object... args) {
        }
    };

    boolean requested();

    void send(Object... args);
}
