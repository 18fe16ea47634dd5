package io.hibiki.socketio;

/**
 * Thrown by {@code socket.join} when the socket would be in more rooms than {@code maxRoomsPerSocket} allows.
 * None of the rooms of that call were joined; an application that lets clients pick rooms answers with an error.
 */
public final class TooManyRoomsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param socketId the id of the socket that asked to join
     * @param max      the {@code maxRoomsPerSocket} limit it would have passed
     */
    public TooManyRoomsException(String socketId, int max) {
        super("socket " + socketId + " would be in more than " + max + " rooms (maxRoomsPerSocket)");
    }
}
