package io.hibiki.chat;

import io.hibiki.chat.store.Database;
import io.hibiki.socketio.ServerHealth;
import io.hibiki.socketio.SocketIoServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/health}, for load balancers and orchestrators: the event loops answer, Redis links the instances
 * (when there is Redis), the database answers. The answer is kept for a second, so probing it often (or an
 * attacker doing so) costs at most one database round trip a second.
 */
final class ChatHealth implements io.hibiki.chat.web.HealthProbe {

    private static final long KEEP_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration LOOP_WAIT = Duration.ofSeconds(1);

    private final SocketIoServer io;
    private final Database database;
    private Map<String, Object> last;
    private long lastAt;

    ChatHealth(SocketIoServer io, Database database) {
        this.io = io;
        this.database = database;
    }

    /** On a worker thread: blocks up to about three seconds when the database or an event loop hangs. */
    @Override
    public synchronized Map<String, Object> check() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < KEEP_NANOS) {
            return last;
        }
        ServerHealth server = io.health(LOOP_WAIT).join();
        boolean db = database.reachable();
        boolean up = server.up() && db;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("eventLoops", server.eventLoopsResponsive() ? "up" : "down");
        body.put("cluster", server.clusterLinked() ? "up" : "down");
        body.put("database", db ? "up" : "down");
        last = java.util.Collections.unmodifiableMap(body);
        lastAt = System.nanoTime();
        return last;
    }
}
