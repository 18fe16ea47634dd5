package io.hibiki.socketio.adapter;

import io.hibiki.socketio.parser.Packet;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Rooms and broadcasting for one namespace: the only seam between a node and its cluster. The in-memory
 * implementation serves one node; cluster adapters extend it with messaging and keep its room logic.
 * Every method may be called from any thread.
 */
public interface Adapter extends AutoCloseable {

    /** Adds a socket to rooms. */
    void addAll(String socketId, Collection<String> rooms);

    /** Removes a socket from a room. */
    void del(String socketId, String room);

    /** Removes a socket from every room. */
    void delAll(String socketId);

    /** Rooms a local socket is in, or an empty set. */
    Set<String> socketRooms(String socketId);

    /** Local socket ids in any of {@code rooms} (all when empty). */
    Set<String> sockets(Set<String> rooms);

    /** Room name → local member ids, a snapshot. */
    java.util.Map<String, Set<String>> rooms();

    /** Sends a packet to every matching socket, on this node and (unless local) on the others. */
    void broadcast(Packet packet, BroadcastOptions opts);

    /**
     * Sends a packet that asks for acknowledgements. {@code clientCount} is called once per node with the number
     * of recipients there; {@code ack} once per acknowledgement with the client's first ack argument.
     */
    void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount,
                          Consumer<com.fasterxml.jackson.databind.JsonNode> ack);

    /** Sockets matching the options, across the cluster unless local. */
    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts);

    /** Makes matching sockets join rooms. */
    void addSockets(BroadcastOptions opts, Collection<String> rooms);

    /** Makes matching sockets leave rooms. */
    void delSockets(BroadcastOptions opts, Collection<String> rooms);

    /** Disconnects matching sockets; {@code close} also closes their connections. */
    void disconnectSockets(BroadcastOptions opts, boolean close);

    /** Emits to the other nodes' namespace listeners; completes with their acks when {@code wantsAck}. */
    CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck);

    /** How many nodes serve this namespace, this one included. */
    CompletableFuture<Integer> serverCount();

    /** Keeps a dropped socket's state for connection state recovery. */
    void persistSession(PersistedSession session);

    /** The session of {@code pid} with what it missed after {@code offset}; completes with null when unknown. */
    CompletableFuture<PersistedSession> restoreSession(String pid, String offset);

    /**
     * Registers a listener called when this node may have missed cluster traffic, or failed to send its own: its
     * link to the cluster was lost and is whole again (subscriptions confirmed). An application that keeps its own
     * store (the chat's database) re-syncs its clients then. A single-node adapter never calls it.
     */
    default void onClusterGap(Runnable listener) {
    }

    @Override
    void close();
}
