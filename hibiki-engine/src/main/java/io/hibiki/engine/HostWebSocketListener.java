package io.hibiki.engine;

/**
 * What a host tells Hibiki about a WebSocket it opened ({@link EngineHost#open}). Calls for one connection must not
 * overlap and must come in the order the host received them.
 */
public interface HostWebSocketListener {

    /**
     * A whole text message arrived.
     *
     * @param text the message
     */
    void onText(String text);

    /**
     * A whole binary message arrived.
     *
     * @param data the message bytes, now Hibiki's
     */
    void onBinary(byte[] data);

    /** The connection closed (either side, or it failed). */
    void onClose();
}
