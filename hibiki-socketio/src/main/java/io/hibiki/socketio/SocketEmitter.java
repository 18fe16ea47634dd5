package io.hibiki.socketio;

import io.hibiki.socketio.adapter.BroadcastFlags;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** An emit to one socket with flags: {@code socket.timeout(d).emitWithAck("ev")}, {@code socket.volatileEmit().emit(…)}. */
public final class SocketEmitter {

    private final Socket socket;
    private final BroadcastFlags flags;

    SocketEmitter(Socket socket, BroadcastFlags flags) {
        this.socket = socket;
        this.flags = flags;
    }

    /**
     * How long {@link #emitWithAck} waits for the client's answer.
     *
     * @param timeout the wait; without one, {@code emitWithAck} waits as long as it takes
     * @return a new emitter with the timeout set
     */
    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(socket, flags.withTimeout(timeout));
    }

    /**
     * Drops the packet when the client's transport cannot take it right now; see
     * {@link BroadcastOperator#volatileEmit()}.
     *
     * @return a new emitter whose emits are volatile
     */
    public SocketEmitter volatileEmit() {
        return new SocketEmitter(socket, flags.withVolatile());
    }

    /**
     * Whether the transport may compress the packet (honoured where WebSocket permessage-deflate is on).
     *
     * @param compress {@code false} to send the packet uncompressed
     * @return a new emitter with the flag set
     */
    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(socket, flags.withCompress(compress));
    }

    /**
     * Emits an event to the socket with these flags.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public void emit(String event, Object... args) {
        socket.emit(flags, event, args);
    }

    /**
     * Completes with the client's ack arguments, or exceptionally with {@link AckTimeoutException}.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @return a future of the client's answer; with no {@link #timeout} it never completes if none comes, with one
     *         it completes by then, even when the client has left meanwhile
     * @throws IllegalArgumentException when the event name is {@code null} or reserved
     */
    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        return socket.emitWithAck(flags, event, args);
    }
}
