package io.hibiki.socketio.adapter;

import io.hibiki.socketio.parser.Packet;
import java.util.List;
import java.util.function.Consumer;

/** What an adapter needs of a socket connected to this node. */
public interface LocalSocket {

    String id();

    /**
     * The event loop that owns this socket's connection, or {@code null} when writes may happen on any thread.
     * Broadcasts group their writes by it.
     */
    default io.netty.util.concurrent.EventExecutor executor() {
        return null;
    }

    /**
     * Writes an encoded packet. The socket takes its own references on the messages; the caller keeps and
     * releases the ones it holds.
     *
     * @return false when the packet was dropped (volatile and the transport was busy, or the socket is gone)
     */
    boolean deliver(EncodedMessages packet, BroadcastFlags flags);

    /**
     * Tells the socket's outgoing listeners ({@code onAnyOutgoing}) about an event it is being sent; the adapter
     * calls this for each recipient of a broadcast, before delivering.
     */
    default void notifyOutgoing(Packet packet) {
    }

    /** Registers a callback for the acknowledgement with this id; it gets the client's ack arguments. */
    void expectAck(long ackId, Consumer<List<com.fasterxml.jackson.databind.JsonNode>> callback);

    SocketDetails details();

    /**
     * Joins rooms for {@code socketsJoin} or a peer's request: nobody is there to be told of a refusal, so a
     * join past {@code maxRoomsPerSocket} is dropped with a log.
     */
    void joinAll(java.util.Collection<String> rooms);

    void leave(String room);

    void disconnect(boolean close);
}
