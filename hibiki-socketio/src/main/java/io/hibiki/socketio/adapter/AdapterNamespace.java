package io.hibiki.socketio.adapter;

import io.hibiki.socketio.parser.PacketEncoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** What an adapter needs of the namespace it serves. */
public interface AdapterNamespace {

    String name();

    /** A socket connected to this node, or {@code null}. */
    LocalSocket localSocket(String id);

    PacketEncoder encoder();

    /** A fresh acknowledgement id for a packet sent from this node. */
    long nextAckId();

    /**
     * Another node's {@code serverSideEmit} arrived: run this node's listeners.
     *
     * @param args event name followed by its arguments
     * @return the listener's acknowledgement arguments; {@code null} when there is no listener or it gives no
     *         acknowledgement, in which case nothing is sent back (as a Node server without a handler stays silent)
     */
    CompletableFuture<List<Object>> onServerSideEmit(List<Object> args, boolean wantsAck);

    /**
     * A namespace with nothing behind it but a way to find sockets: for exercising an adapter on its own, as its
     * tests and benchmarks do. Its ack ids are all 0, and it has no server-side emit listeners.
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
