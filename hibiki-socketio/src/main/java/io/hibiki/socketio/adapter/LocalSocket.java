package io.hibiki.socketio.adapter;

import io.hibiki.socketio.parser.Packet;
import java.util.List;
import java.util.function.Consumer;

/** What an adapter needs of a socket connected to this node. */
public interface LocalSocket {

    /**
     * The socket id.
     *
     * @return the id, which is also the name of the room holding only this socket
     */
    String id();

    /**
     * The event loop that owns this socket's connection, or {@code null} when writes may happen on any thread.
     * Broadcasts group their writes by it.
     *
     * @return the socket's event loop, or {@code null} (the default)
     */
    default io.netty.util.concurrent.EventExecutor executor() {
        return null;
    }

    /**
     * Writes an encoded packet. The socket takes its own references on the messages; the caller keeps and
     * releases the ones it holds.
     *
     * @param packet the encoded packet, possibly shared with other recipients
     * @param flags  the emit's flags: {@code volatileEmit} and {@code compress} apply here
     * @return false when the packet was dropped (volatile and the transport was busy, or the socket is gone)
     */
    boolean deliver(EncodedMessages packet, BroadcastFlags flags);

    /**
     * Tells the socket's outgoing listeners ({@code onAnyOutgoing}) about an event it is being sent; the adapter
     * calls this for each recipient of a broadcast, before delivering.
     *
     * @param packet the event packet about to be delivered
     */
    default void notifyOutgoing(Packet packet) {
    }

    /**
     * Registers a callback for the acknowledgement with this id; it gets the client's ack arguments. The callback
     * runs at most once, and never if the socket leaves first.
     *
     * @param ackId    the acknowledgement id of the packet about to be delivered
     * @param callback called with the arguments of the client's answer
     */
    void expectAck(long ackId, Consumer<List<com.fasterxml.jackson.databind.JsonNode>> callback);

    /**
     * The socket as {@code fetchSockets} reports it.
     *
     * @return its id, handshake, rooms and data
     */
    SocketDetails details();

    /**
     * Joins rooms for {@code socketsJoin} or a peer's request: nobody is there to be told of a refusal, so a
     * join past {@code maxRoomsPerSocket} is dropped with a log.
     *
     * @param rooms the rooms to join, all or none
     */
    void joinAll(java.util.Collection<String> rooms);

    /**
     * Leaves a room, for {@code socketsLeave} or a peer's request.
     *
     * @param room the room to leave; a room the socket is not in is ignored
     */
    void leave(String room);

    /**
     * Disconnects the socket, for {@code disconnectSockets} or a peer's request. The socket leaves on its own
     * event loop: inline when called there, later otherwise.
     *
     * @param close {@code true} to close the whole connection, with every other namespace on it; {@code false}
     *              to leave this namespace only
     */
    void disconnect(boolean close);
}
