package io.hibiki.socketio.adapter;

import java.util.Set;

/**
 * Who receives a broadcast: members of any of {@code rooms} (everyone when empty), minus members of any of
 * {@code except}. A socket id is also a room holding just that socket.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
        flags = flags == null ? BroadcastFlags.NONE : flags;
    }

    public static BroadcastOptions all() {
        return new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);
    }
}
