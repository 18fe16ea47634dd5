package io.hibiki.engine;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One Engine.IO session: a client connection that survives the switch from long-polling to WebSocket.
 *
 * <p>Every callback runs on the session's event loop, one at a time. Methods may be called from any thread;
 * calls from other threads hop onto that loop, so their order per calling thread is kept.
 */
public interface EngineSocket {

    /** The session id ({@code sid}) sent in the open packet. */
    String id();

    /** The transport in use now. */
    Transport transport();

    /** The event loop that owns this session: callbacks run there, and timers for it belong there. */
    io.netty.util.concurrent.EventExecutor executor();

    /** The handshake request. */
    EngineRequest request();

    /** Sends a text message. */
    void send(String text);

    /** Sends a binary message. */
    void send(byte[] data);

    /**
     * Sends a pre-encoded message. The session takes its own reference; the caller keeps (and eventually
     * releases) the one it holds, so the same message can go to many sessions without copying.
     */
    void send(EngineMessage message);

    /**
     * Whether a write now would go out without queueing behind earlier ones: the WebSocket channel is writable,
     * or a long-poll is waiting. Volatile packets are dropped when this is false.
     */
    boolean isWritable();

    /** Closes the session after pending packets are flushed; the close listener sees {@link CloseReason#FORCED_CLOSE}. */
    void close();

    /** Closes the session with a reason of the caller's choosing. */
    void close(CloseReason reason);

    /** Whether the session is still open. */
    boolean isOpen();

    /** Called with each inbound text message. */
    void onMessage(Consumer<String> listener);

    /** Called with each inbound binary message. */
    void onBinary(Consumer<byte[]> listener);

    /** Called once when the session closes, with the reason and an optional description. */
    void onClose(BiConsumer<CloseReason, String> listener);

    /** Called when a session that was not writable becomes writable again. */
    void onDrain(Runnable listener);

    /** Called when the session switched from polling to WebSocket. */
    void onUpgrade(Runnable listener);
}
