package io.hibiki.engine;

/** The two Engine.IO transports, by their wire names. */
public enum Transport {
    POLLING("polling"),
    WEBSOCKET("websocket");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The transport for a {@code transport=} query value, or {@code null}. */
    public static Transport fromWireName(String name) {
        for (Transport t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
