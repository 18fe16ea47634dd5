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

    /**
     * Adds a socket to rooms. The server calls it when a socket connects (its own room, plus the rooms of a
     * recovered session) and from {@code socket.join}; joining a room the socket is already in changes nothing.
     *
     * @param socketId the id of a socket connected to this node
     * @param rooms    the rooms to join
     */
    void addAll(String socketId, Collection<String> rooms);

    /**
     * Removes a socket from a room ({@code socket.leave}). A socket left in no room is still one of the
     * namespace's sockets, reached by broadcasts to everyone, until {@link #delAll}.
     *
     * @param socketId the id of a socket connected to this node
     * @param room     the room to leave; a room the socket is not in is ignored
     */
    void del(String socketId, String room);

    /**
     * Removes a socket from every room, and forgets it. The server calls it once, on the socket's event loop,
     * when the socket leaves the namespace (after {@link #persistSession} when its session is kept).
     *
     * @param socketId the id of the socket that left
     */
    void delAll(String socketId);

    /**
     * Rooms a local socket is in, or an empty set.
     *
     * @param socketId the id of a socket connected to this node
     * @return a snapshot of its rooms, its own id included; empty when the socket is unknown
     */
    Set<String> socketRooms(String socketId);

    /**
     * Local socket ids in any of {@code rooms} (all when empty).
     *
     * @param rooms the rooms to look in; empty for every socket of this node
     * @return the ids of matching sockets connected to this node, each once; the caller may keep and change it
     */
    Set<String> sockets(Set<String> rooms);

    /**
     * Room name → local member ids, a snapshot.
     *
     * @return every room with a member on this node (socket ids included, as one-member rooms), mapped to
     *         those members
     */
    java.util.Map<String, Set<String>> rooms();

    /**
     * Sends a packet to every matching socket, on this node and (unless local) on the others. The server calls
     * it for {@code emit} on a namespace or broadcast operator, and, with connection state recovery on, for
     * {@code socket.emit} too (with the {@code local} flag), so that the event is kept for replay.
     *
     * @param packet an EVENT packet without an acknowledgement id; its data is the event name and arguments
     * @param opts   the recipients and the emit's flags
     */
    void broadcast(Packet packet, BroadcastOptions opts);

    /**
     * Sends a packet that asks for acknowledgements. {@code clientCount} is called once per node with the number
     * of recipients there; {@code ack} once per acknowledgement with the client's first ack argument.
     *
     * <p>The emitter completes once it has heard from as many nodes as {@link #serverCount} reports (one when
     * the emit is local) and got as many acks as the counts add up to, so an implementation must report a count
     * from every node, zero included; a node that stays silent leaves the emit to its timeout.
     *
     * @param packet      an EVENT packet carrying the acknowledgement id the clients answer to
     * @param opts        the recipients and the emit's flags
     * @param clientCount called with each node's number of recipients, this node's included
     * @param ack         called with each client's first acknowledgement argument, or {@code null} when the client
     *                    acknowledged with no arguments; may be called from any thread
     */
    void broadcastWithAck(Packet packet, BroadcastOptions opts, IntConsumer clientCount,
                          Consumer<com.fasterxml.jackson.databind.JsonNode> ack);

    /**
     * Sockets matching the options, across the cluster unless local.
     *
     * @param opts the sockets to find; the {@code local} flag keeps the search on this node
     * @return a future completing with the matching sockets of every node; for sockets of this node the
     *         details hold the live {@code socket.data}
     */
    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts);

    /**
     * Makes matching sockets join rooms, on this node and (unless local) on the others. Nobody is there to be
     * told of a refusal, so a socket that would pass its room limit joins none of them.
     *
     * @param opts  the sockets to move
     * @param rooms the rooms they join
     */
    void addSockets(BroadcastOptions opts, Collection<String> rooms);

    /**
     * Makes matching sockets leave rooms, on this node and (unless local) on the others.
     *
     * @param opts  the sockets to move
     * @param rooms the rooms they leave
     */
    void delSockets(BroadcastOptions opts, Collection<String> rooms);

    /**
     * Disconnects matching sockets; {@code close} also closes their connections.
     *
     * @param opts  the sockets to disconnect, on this node and (unless local) on the others
     * @param close {@code true} to close each socket's whole connection, with every other namespace on it;
     *              {@code false} to make the sockets leave this namespace only
     */
    void disconnectSockets(BroadcastOptions opts, boolean close);

    /**
     * Emits to the other nodes' namespace listeners; completes with their acks when {@code wantsAck}.
     * Implementations pass the arguments to {@link AdapterNamespace#onServerSideEmit} on each other node.
     *
     * @param args     the event name followed by its arguments
     * @param wantsAck whether the caller waits for one answer per other node
     * @return a future completing with the other nodes' answers (empty on a single node, or when
     *         {@code wantsAck} is false); it may complete exceptionally when answers stop coming
     */
    CompletableFuture<List<Object>> serverSideEmit(List<Object> args, boolean wantsAck);

    /**
     * How many nodes serve this namespace, this one included.
     *
     * @return a future completing with the node count, at least one
     */
    CompletableFuture<Integer> serverCount();

    /**
     * Keeps a dropped socket's state for connection state recovery. The server calls it, on the socket's event
     * loop, when a socket with a private id leaves for a reason the client may recover from. An adapter that
     * cannot store sessions may ignore it: the client then gets a new session when it reconnects.
     *
     * @param session the socket's id, private id, rooms and data; its missed packets are empty
     */
    void persistSession(PersistedSession session);

    /**
     * The session of {@code pid} with what it missed after {@code offset}; completes with null when unknown.
     * The server calls it when a reconnecting client presents both, and only with recovery on. The future may
     * complete on any thread; completing exceptionally counts as unknown.
     *
     * @param pid    the private id the client presents
     * @param offset the offset of the last event the client received
     * @return a future completing with the session and its missed packets, or with {@code null} when the session
     *         is unknown, expired or the offset is no longer kept (the client then gets a new session)
     */
    CompletableFuture<PersistedSession> restoreSession(String pid, String offset);

    /**
     * Registers a listener called when this node may have missed cluster traffic, or failed to send its own: its
     * link to the cluster was lost and is whole again (subscriptions confirmed). An application that keeps its own
     * store (the chat's database) re-syncs its clients then. A single-node adapter never calls it.
     *
     * @param listener run on each such recovery, on a thread of the adapter's choosing
     */
    default void onClusterGap(Runnable listener) {
    }

    /**
     * Whether this node's link to the rest of the cluster works now: for a health check. A single-node adapter is
     * always linked; a Redis adapter is when its connections are open and its last command succeeded.
     *
     * @return {@code false} while broadcasts may not reach the other nodes
     */
    default boolean linked() {
        return true;
    }

    /**
     * Releases the adapter's resources (cluster subscriptions, pending requests) and forgets its rooms. The
     * server calls it when the namespace goes away or the server closes.
     */
    @Override
    void close();
}
