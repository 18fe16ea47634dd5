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

    public SocketEmitter timeout(Duration timeout) {
        return new SocketEmitter(socket, flags.withTimeout(timeout));
    }

    public SocketEmitter volatileEmit() {
        return new SocketEmitter(socket, flags.withVolatile());
    }

    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(socket, flags.withCompress(compress));
    }

    public void emit(String event, Object... args) {
        socket.emit(flags, event, args);
    }

    /** Completes with the client's ack arguments, or exceptionally with {@link AckTimeoutException}. */
    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        return socket.emitWithAck(flags, event, args);
    }
}
