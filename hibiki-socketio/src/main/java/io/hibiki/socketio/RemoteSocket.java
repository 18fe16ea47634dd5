package io.hibiki.socketio;

import io.hibiki.socketio.adapter.SocketDetails;
import java.util.Map;
import java.util.Set;

/**
 * A socket returned by {@code fetchSockets()}: a snapshot of its id, handshake, rooms and data, and operations
 * that reach it wherever in the cluster it is connected.
 */
public final class RemoteSocket {

    private final Namespace namespace;
    private final SocketDetails details;

    RemoteSocket(Namespace namespace, SocketDetails details) {
        this.namespace = namespace;
        this.details = details;
    }

    /**
     * The socket's id.
     *
     * @return the id, which is also the name of the socket's own room
     */
    public String id() {
        return details.id();
    }

    /**
     * The handshake in Node's shape (headers, query, auth, address, time, …).
     *
     * @return the handshake as a JSON-able map, as {@link Handshake#toMap()} gives it
     */
    public Map<String, Object> handshake() {
        return details.handshake();
    }

    /**
     * The rooms the socket was in when it was fetched.
     *
     * @return the rooms, its own id included
     */
    public Set<String> rooms() {
        return details.rooms();
    }

    /**
     * The application's {@code socket.data}.
     *
     * @return for a socket on this node, its live data map itself (as in Node: changes made through it reach the
     *         socket); for one on another node, a decoded copy taken when it was fetched
     */
    public Object data() {
        return details.data();
    }

    /**
     * Emits an event to this socket, through the adapter, on whichever node it is connected.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void emit(String event, Object... args) {
        namespace.to(id()).emit(event, args);
    }

    /**
     * Makes the socket join rooms, on whichever node it is connected; {@link #rooms()} stays the old snapshot.
     *
     * @param rooms the rooms to join; past {@code maxRoomsPerSocket} it joins none of them, without an exception
     */
    public void join(String... rooms) {
        namespace.in(id()).socketsJoin(rooms);
    }

    /**
     * Makes the socket leave rooms, on whichever node it is connected; {@link #rooms()} stays the old snapshot.
     *
     * @param rooms the rooms to leave
     */
    public void leave(String... rooms) {
        namespace.in(id()).socketsLeave(rooms);
    }

    /**
     * Disconnects the socket, on whichever node it is connected.
     *
     * @param close {@code true} to close its whole connection with every namespace on it; {@code false} to make it
     *              leave this namespace only
     */
    public void disconnect(boolean close) {
        namespace.in(id()).disconnectSockets(close);
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + id() + ", rooms=" + rooms() + "]";
    }
}
