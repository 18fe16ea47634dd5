package io.hibiki.socketio.adapter;

import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.socketio.parser.PacketEncoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** What an adapter needs of the namespace it serves. */
public interface AdapterNamespace {

    /**
     * The namespace's name.
     *
     * @return the name, {@code "/"} for the main namespace; it starts with {@code '/'}
     */
    String name();

    /**
     * A socket connected to this node, or {@code null}.
     *
     * @param id the socket id
     * @return the socket, or {@code null} when no socket with this id is connected to this namespace here
     */
    LocalSocket localSocket(String id);

    /**
     * The server's packet encoder, shared by every namespace; adapters encode a broadcast with it once for all
     * its recipients.
     *
     * @return the encoder, thread-safe
     */
    PacketEncoder encoder();

    /**
     * A fresh acknowledgement id for a packet sent from this node.
     *
     * @return a non-negative id, not handed out before by this namespace on this node
     */
    long nextAckId();

    /**
     * Another node's {@code serverSideEmit} arrived: run this node's listeners.
     *
     * @param args     event name followed by its arguments
     * @param wantsAck whether the emitting node waits for an answer
     * @return the listener's acknowledgement arguments; {@code null} when there is no listener or it gives no
     *         acknowledgement, in which case nothing is sent back (as a Node server without a handler stays silent)
     */
    CompletableFuture<List<Object>> onServerSideEmit(List<Object> args, boolean wantsAck);

    /**
     * Who hears what this namespace sends: an adapter reports each broadcast's local deliveries here.
     *
     * @return the server's observer; {@link ServerObserver#NONE} by default
     */
    default ServerObserver observer() {
        return ServerObserver.NONE;
    }

    /**
     * A namespace with nothing behind it but a way to find sockets: for exercising an adapter on its own, as its
     * tests and benchmarks do. Its ack ids are all 0, and it has no server-side emit listeners.
     *
     * @param name    the namespace name, such as {@code "/"}
     * @param encoder the encoder adapters get from {@link #encoder()}
     * @param sockets finds a local socket by id, returning {@code null} when there is none
     * @return a namespace backed by nothing but these three
     */
    static AdapterNamespace detached(String name, PacketEncoder encoder, Function<String, LocalSocket> sockets) {
        return new AdapterNamespace() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LocalSocket localSocket(String id) {
                return sockets.apply(id);
            }

            @Override
            public PacketEncoder encoder() {
                return encoder;
            }

            @Override
            public long nextAckId() {
                return 0;
            }

            @Override
            public CompletableFuture<List<Object>> onServerSideEmit(List<Object> args, boolean wantsAck) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
