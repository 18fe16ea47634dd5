package io.hibiki.socketio.adapter;

import java.util.List;
import java.util.Set;

/**
 * What connection state recovery keeps of a socket that dropped, and, on restore, what it missed.
 *
 * @param sid           the socket id to give back
 * @param pid           the private id the client presents
 * @param rooms         rooms to rejoin
 * @param data          the application's {@code socket.data}
 * @param missedPackets event payloads (name, args…, offset) broadcast to it since it left; empty when persisting
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, Object data, List<List<Object>> missedPackets) {
}
