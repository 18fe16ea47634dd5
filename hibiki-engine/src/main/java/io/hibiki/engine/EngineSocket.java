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

    /**
     * The session id ({@code sid}) sent in the open packet.
     *
     * @return the session id, 20 characters
     */
    String id();

    /**
     * The transport in use now.
     *
     * @return {@link Transport#POLLING} until an upgrade completes, then {@link Transport#WEBSOCKET}
     */
    Transport transport();

    /**
     * The event loop that owns this session: callbacks run there, and timers for it belong there.
     *
     * @return the session's event loop, the same for the session's whole life
     */
    io.netty.util.concurrent.EventExecutor executor();

    /**
     * The handshake request.
     *
     * @return the request that opened the session
     */
    EngineRequest request();

    /**
     * Sends a text message. Ignored once the session is closing or closed.
     *
     * @param text the message
     */
    void send(String text);

    /**
     * Sends a binary message. Ignored once the session is closing or closed.
     *
     * @param data the message bytes, copied before this method returns
     */
    void send(byte[] data);

    /**
     * Sends a pre-encoded message. The session takes its own reference; the caller keeps (and eventually
     * releases) the one it holds, so the same message can go to many sessions without copying. Ignored once the
     * session is closing or closed.
     *
     * @param message the message to send
     */
    void send(EngineMessage message);

    /**
     * Whether a write now would go out without queueing behind earlier ones: the WebSocket channel is writable,
     * or a long-poll is waiting. Volatile packets are dropped when this is false.
     *
     * @return {@code true} when the session is open and its transport can take a write now
     */
    boolean isWritable();

    /** Closes the session after pending packets are flushed; the close listener sees {@link CloseReason#FORCED_CLOSE}. */
    void close();

    /**
     * Closes the session with a reason of the caller's choosing, after pending packets are flushed. Does nothing
     * when the session is already closing or closed.
     *
     * @param reason the reason passed to the close listener
     */
    void close(CloseReason reason);

    /**
     * Whether the session is still open.
     *
     * @return {@code false} as soon as closing has begun, even while pending packets are still being flushed
     */
    boolean isOpen();

    /**
     * Called with each inbound text message.
     *
     * @param listener receives the message text; replaces any listener set before
     */
    void onMessage(Consumer<String> listener);

    /**
     * Called with each inbound binary message.
     *
     * @param listener receives the message bytes; replaces any listener set before
     */
    void onBinary(Consumer<byte[]> listener);

    /**
     * Called once when the session closes, with the reason and an optional description.
     *
     * @param listener receives the reason and a description, which may be {@code null}; replaces any listener
     *                 set before
     */
    void onClose(BiConsumer<CloseReason, String> listener);

    /**
     * Called when a session that was not writable becomes writable again.
     *
     * @param listener run on each such change; replaces any listener set before
     */
    void onDrain(Runnable listener);

    /**
     * Called when the session switched from polling to WebSocket.
     *
     * @param listener run once the upgrade has completed; replaces any listener set before
     */
    void onUpgrade(Runnable listener);
}
