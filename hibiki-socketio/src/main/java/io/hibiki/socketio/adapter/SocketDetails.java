package io.hibiki.socketio.adapter;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Set;

/**
 * A socket as another node sees it through {@code fetchSockets}: the fields Node's adapters exchange.
 *
 * @param id        the socket id
 * @param handshake the handshake, as a JSON-able map in Node's shape
 * @param rooms     the rooms it is in (its own id included)
 * @param data      the application's {@code socket.data}
 */
public record SocketDetails(@JsonProperty("id") String id,
                            @JsonProperty("handshake") Map<String, Object> handshake,
                            @JsonProperty("rooms") Set<String> rooms,
                            @JsonProperty("data") Object data) {
}
