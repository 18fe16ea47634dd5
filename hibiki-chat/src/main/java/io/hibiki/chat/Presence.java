package io.hibiki.chat;

import io.hibiki.chat.account.AccountIds;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online in a room. Changes travel as deltas ({@code presence-delta {room, joined | left}}), so a connect
 * or a join costs one small message per member of the room, never the whole list to everyone (which grew with the
 * square of the room); the full list only on request, a page at a time.
 */
final class Presence {

    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    /** The most users one presence answer lists. */
    static final int PAGE = 200;

    private final SocketIoServer io;

    Presence(SocketIoServer io) {
        this.io = io;
    }

    /** A room people chat in, as opposed to a socket's own room or a user's room of all their connections. */
    static boolean isChatRoom(String socketId, String room) {
        return !room.equals(socketId) && !room.startsWith("user:") && !room.startsWith("session:");
    }

    /**
     * Users online in a room, each once however many tabs they have open, ordered by user id: at most {@link #PAGE}
     * after {@code after} (null for the first page).
     */
    List<Map<String, Object>> users(String room, String after) throws Exception {
        TreeMap<String, Map<String, Object>> users = new TreeMap<>();
        for (RemoteSocket s : io.in(room).fetchSockets().get()) {
            if (s.data() instanceof Map<?, ?> d && d.get("userId") instanceof String id
                    && (after == null || id.compareTo(after) > 0)) {
                users.putIfAbsent(id, entry(id, String.valueOf(d.get("nickname"))));
            }
        }
        return new ArrayList<>(users.values()).subList(0, Math.min(PAGE, users.size()));
    }

    /** The user is online in these rooms (a connect, or a join): each room hears it once. */
    void joined(ChatUser user, Collection<String> rooms) {
        for (String room : rooms) {
            io.to(room).emit("presence-delta", Map.of("room", room, "joined", List.of(entry(user))));
        }
    }

    /** The user left a room. */
    void left(ChatUser user, String room) {
        io.to(room).emit("presence-delta", Map.of("room", room, "left", List.of(entry(user))));
    }

    /** A connection of the user went: if it was their last (on any instance), their rooms hear they are gone. */
    void disconnected(ChatUser user, Collection<String> rooms) {
        try {
            if (!io.in(Rooms.ofUser(user.userId())).fetchSockets().get().isEmpty()) {
                return; // another tab or device is still there
            }
        } catch (Exception e) {
            log.debug("presence of {} not checked: {}", user.userId(), e.toString());
            return;
        }
        for (String room : rooms) {
            left(user, room);
        }
    }

    private static Map<String, Object> entry(ChatUser user) {
        return entry(user.userId(), user.nickname());
    }

    private static Map<String, Object> entry(String userId, String nickname) {
        return Map.of("userId", userId, "nickname", nickname, "guest", !AccountIds.isAccount(userId));
    }
}
