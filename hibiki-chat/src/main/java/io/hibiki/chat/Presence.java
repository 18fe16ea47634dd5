package io.hibiki.chat;

import io.hibiki.socketio.RemoteSocket;
import io.hibiki.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who is online in a room, from the sockets in it (across instances, through the adapter). */
final class Presence {

    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    private final SocketIoServer io;

    Presence(SocketIoServer io) {
        this.io = io;
    }

    /** A room people chat in, as opposed to a socket's own room or a user's room of all their connections. */
    static boolean isChatRoom(String socketId, String room) {
        return !room.equals(socketId) && !room.startsWith("user:");
    }

    /** Users online in a room, each once however many tabs they have open. */
    List<Map<String, Object>> users(String room) throws Exception {
        Map<String, Map<String, Object>> users = new TreeMap<>();
        for (RemoteSocket s : io.in(room).fetchSockets().get()) {
            if (s.data() instanceof Map<?, ?> d && d.get("userId") instanceof String id) {
                users.putIfAbsent(id, Map.of("userId", id, "nickname", String.valueOf(d.get("nickname"))));
            }
        }
        return new ArrayList<>(users.values());
    }

    /** Tells a room who is in it now. */
    void broadcast(String room) {
        try {
            io.to(room).emit("presence", Map.of("room", room, "users", users(room)));
        } catch (Exception e) {
            log.warn("presence of {} not sent: {}", room, e.toString());
        }
    }
}
