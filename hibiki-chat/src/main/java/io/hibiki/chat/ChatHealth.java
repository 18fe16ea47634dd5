package io.hibiki.chat;

import io.hibiki.chat.store.Database;
import io.hibiki.socketio.ServerHealth;
import io.hibiki.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/health}, for load balancers and orchestrators: the event loops answer, Redis links the instances
 * (when there is Redis), the database answers. The checks run on a thread of their own, one at a time: every probe
 * that arrives meanwhile shares the check in progress, an answer is reused for a second, and no chat worker ever
 * waits on a slow database for a probe.
 */
final class ChatHealth implements io.hibiki.chat.web.HealthProbe, AutoCloseable {

    private static final long KEEP_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration LOOP_WAIT = Duration.ofSeconds(1);
    /** A check that takes longer (a database that does not answer) is reported down. */
    private static final long CHECK_LIMIT_SECONDS = 4;

    private final SocketIoServer io;
    private final Database database;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chat-health");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Map<String, Object>> last;
    private long lastAt;

    ChatHealth(SocketIoServer io, Database database) {
        this.io = io;
        this.database = database;
    }

    @Override
    public synchronized CompletableFuture<Map<String, Object>> check() {
        if (last != null && (!last.isDone() || System.nanoTime() - lastAt < KEEP_NANOS)) {
            return last;
        }
        lastAt = System.nanoTime();
        last = CompletableFuture.supplyAsync(this::findings, checker)
                .completeOnTimeout(Map.of("status", "down", "reason", "the checks took over "
                        + CHECK_LIMIT_SECONDS + " s"), CHECK_LIMIT_SECONDS, TimeUnit.SECONDS)
                .whenComplete((m, e) -> {
                    synchronized (this) {
                        lastAt = System.nanoTime();
                    }
                });
        return last;
    }

    private Map<String, Object> findings() {
        ServerHealth server = io.health(LOOP_WAIT).join();
        boolean db = database.reachable();
        boolean up = server.up() && db;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("eventLoops", server.eventLoopsResponsive() ? "up" : "down");
        body.put("cluster", server.clusterLinked() ? "up" : "down");
        body.put("database", db ? "up" : "down");
        return Collections.unmodifiableMap(body);
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
