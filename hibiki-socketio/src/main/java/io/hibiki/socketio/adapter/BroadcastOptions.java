package io.hibiki.socketio.adapter;

import java.util.Set;

/**
 * Who receives a broadcast: members of any of {@code rooms} (everyone when empty), minus members of any of
 * {@code except}. A socket id is also a room holding just that socket.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    /**
     * Copies both room sets into unmodifiable sets.
     *
     * @param rooms  the rooms whose members receive it; empty for every socket of the namespace
     * @param except the rooms whose members are left out; may be empty
     * @param flags  the emit's modifiers; {@code null} means {@link BroadcastFlags#NONE}
     * @throws NullPointerException if a room set is {@code null} or holds {@code null}
     */
    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
        flags = flags == null ? BroadcastFlags.NONE : flags;
    }

    /**
     * Every socket of the namespace, with no flags.
     *
     * @return options with no rooms, no exceptions and {@link BroadcastFlags#NONE}
     */
    public static BroadcastOptions all() {
        return new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);
    }
}
