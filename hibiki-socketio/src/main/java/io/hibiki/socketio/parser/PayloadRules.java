package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** The payload each packet type may carry, as socket.io-parser's {@code isPayloadValid} checks it. */
final class PayloadRules {

    /** Event names the server emits itself; a client may not send them. */
    static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private PayloadRules() {
    }

    /**
     * Rejects a payload that does not fit {@code type}.
     *
     * <p>Unlike socket.io-parser, which skips the check when the payload is absent, an absent payload
     * is refused for events, acknowledgements and connect errors: such packets would carry nothing the
     * server can act on.
     */
    static void check(PacketType type, JsonNode data) throws PacketParseException {
        switch (type) {
            case CONNECT -> {
                if (data != null && !data.isObject()) {
                    throw invalid(type, "must be absent or a JSON object");
                }
            }
            case DISCONNECT -> {
                if (data != null) {
                    throw invalid(type, "must be absent");
                }
            }
            case CONNECT_ERROR -> {
                if (data == null || !(data.isTextual() || data.isObject())) {
                    throw invalid(type, "must be a string or a JSON object");
                }
            }
            case EVENT, BINARY_EVENT -> checkEvent(type, data);
            case ACK, BINARY_ACK -> {
                if (data == null || !data.isArray()) {
                    throw invalid(type, "must be a JSON array");
                }
            }
        }
    }

    private static void checkEvent(PacketType type, JsonNode data) throws PacketParseException {
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw invalid(type, "must be a non-empty JSON array");
        }
        JsonNode name = data.get(0);
        if (name.isTextual()) {
            if (RESERVED_EVENTS.contains(name.textValue())) {
                throw invalid(type, "uses the reserved event name \"" + name.textValue() + "\"");
            }
        } else if (!name.isNumber()) {
            throw invalid(type, "must start with an event name (a string or a number)");
        }
    }

    private static PacketParseException invalid(PacketType type, String why) {
        return new PacketParseException("invalid payload for " + type + ": " + why);
    }
}
