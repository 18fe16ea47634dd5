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

    public String id() {
        return details.id();
    }

    /** The handshake in Node's shape (headers, query, auth, address, time, …). */
    public Map<String, Object> handshake() {
        return details.handshake();
    }

    public Set<String> rooms() {
        return details.rooms();
    }

    public Object data() {
        return details.data();
    }

    public void emit(String event, Object... args) {
        namespace.to(id()).emit(event, args);
    }

    public void join(String... rooms) {
        namespace.in(id()).socketsJoin(rooms);
    }

    public void leave(String... rooms) {
        namespace.in(id()).socketsLeave(rooms);
    }

    public void disconnect(boolean close) {
        namespace.in(id()).disconnectSockets(close);
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + id() + ", rooms=" + rooms() + "]";
    }
}
