package io.hibiki.engine;

/**
 * A WebSocket connection a host opened after {@link EngineHost#checkUpgrade} let it: what Hibiki's session writes
 * to. Sends are asynchronous and leave in the order made; Hibiki calls them from the session's thread only.
 */
public interface HostWebSocket {

    /**
     * Sends a text message.
     *
     * @param text the message
     */
    void sendText(String text);

    /**
     * Sends a binary message.
     *
     * @param data the message bytes; Hibiki does not touch the array afterwards
     */
    void sendBinary(byte[] data);

    /**
     * How many bytes were handed to the send methods and not yet written to the network: what a client that does
     * not read leaves queued. Hibiki drops such a client past {@code maxPendingBytes}.
     *
     * @return the bytes queued in the host
     */
    long bufferedBytes();

    /**
     * Whether the connection is still open.
     *
     * @return {@code false} once closed by either side
     */
    boolean isOpen();

    /** Closes politely (status 1000). */
    void close();

    /** Closes at once, without a close frame: the client stopped reading. */
    void abort();
}
