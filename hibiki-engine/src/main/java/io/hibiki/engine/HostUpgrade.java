package io.hibiki.engine;

/**
 * A WebSocket handshake {@link EngineHost#checkUpgrade} accepted: the host completes the upgrade and hands the open
 * connection to {@link EngineHost#open} with it.
 */
public final class HostUpgrade {

    final EngineServer server;
    final EngineRequest info;
    /** The polling session this connection upgrades, or {@code null} for a new WebSocket-only session. */
    final EngineSession existing;

    HostUpgrade(EngineServer server, EngineRequest info, EngineSession existing) {
        this.server = server;
        this.info = info;
        this.existing = existing;
    }

    /**
     * The most a single message from the client may hold; the host should refuse larger ones (close code 1009).
     *
     * @return {@code maxHttpBufferSize} in bytes
     */
    public int maxMessageSize() {
        return server.options().maxHttpBufferSize();
    }
}
