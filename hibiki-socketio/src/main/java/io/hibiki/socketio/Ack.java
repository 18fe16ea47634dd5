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

    /**
     * Whether the client asked for an acknowledgement.
     *
     * @return {@code true} when the event carried an ack id, {@code false} for {@link #NONE}
     */
    boolean requested();

    /**
     * Answers the client with these arguments. Only the first call sends anything; later calls, and calls on
     * {@link #NONE}, are ignored.
     *
     * @param args the answer's arguments: JSON-able values, {@code null} (JSON {@code null}), or {@code byte[]} for
     *             binary
     */
    void send(Object... args);
}
