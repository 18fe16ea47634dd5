package io.hibiki.engine;

/** The two Engine.IO transports, by their wire names. */
public enum Transport {
    /**
     * HTTP long-polling: the client GETs to receive and POSTs to send. Clients start here unless told to use
     * WebSocket only.
     */
    POLLING("polling"),
    /** One WebSocket connection carrying packets both ways, reached directly or by upgrading from polling. */
    WEBSOCKET("websocket");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used for this transport on the wire.
     *
     * @return the {@code transport=} query value, {@code "polling"} or {@code "websocket"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * The transport for a {@code transport=} query value, or {@code null}.
     *
     * @param name the query value, matched exactly (case-sensitive); may be {@code null}
     * @return the transport, or {@code null} when the name is unknown or {@code null}
     */
    public static Transport fromWireName(String name) {
        for (Transport t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
