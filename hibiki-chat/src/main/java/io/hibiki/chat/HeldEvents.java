package io.hibiki.chat;

import io.hibiki.socketio.Ack;
import io.hibiki.socketio.Args;
import io.hibiki.socketio.EventListener;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.TokenBucket;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's event listeners behind its rate limit, without losing work: an event over the rate is held, in
 * arrival order, and handled when the budget allows; only when {@code capacity} events already wait is one
 * refused, with a {@code rate_limited} answer on its ack (or, when it asked for none, a {@code chat-error} at most
 * once a second), so a client always hears about it. Events registered as droppable (typing, cursor: volatile by nature) are dropped instead of held.
 * Events nobody listens to are refused over the rate by a socket middleware.
 *
 * <p>Ordering: the socket hands events over one at a time (its serial executor). An event runs at once only when
 * nothing is held or being drained; otherwise it queues behind the held ones, which run one at a time on a
 * worker. So events are handled in the order they arrived, held or not.
 */
final class HeldEvents {

    private static final Logger log = LoggerFactory.getLogger(HeldEvents.class);

    private final Socket socket;
    private final TokenBucket bucket;
    private final int capacity;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    /** A drain is scheduled or running: new events queue behind it. Guarded by {@code held}. */
    private boolean draining;
    /** When the last chat-error about refusals went out. Guarded by {@code held}. */
    private long lastNotice = System.nanoTime() - 1_000_000_000L;

    HeldEvents(Socket socket, TokenBucket bucket, int capacity, ScheduledExecutorService timer, Executor workers) {
        this.socket = socket;
        this.bucket = bucket;
        this.capacity = capacity;
        this.timer = timer;
        this.workers = workers;
        socket.use((event, args, next) -> {
            if (registered.contains(event) || bucket.tryTake()) {
                next.ok();
            } else {
                next.fail(new ChatError("rate_limited", "too many events; slow down"));
            }
        });
        // What a gone client left waiting would only be answered into the void; its retries carry clientIds.
        socket.onDisconnect(reason -> {
            synchronized (held) {
                held.clear();
            }
        });
    }

    /** A listener whose events are held when over the rate. */
    void on(String event, EventListener listener) {
        registered.add(event);
        socket.on(event, (args, ack) -> arrive(event, listener, args, ack));
    }

    /** A listener whose events are dropped when over the rate (volatile events such as typing). */
    void onDroppable(String event, EventListener listener) {
        registered.add(event);
        socket.on(event, (args, ack) -> {
            boolean now;
            synchronized (held) {
                now = !draining && held.isEmpty() && bucket.tryTake();
            }
            if (now) {
                listener.onEvent(args, ack);
            }
        });
    }

    private void arrive(String event, EventListener listener, Args args, Ack ack) throws Exception {
        synchronized (held) {
            if (draining || !held.isEmpty() || !bucket.tryTake()) {
                if (held.size() >= capacity) {
                    refuse(event, ack);
                    return;
                }
                held.add(() -> run(event, listener, args, ack));
                if (!draining) {
                    draining = true;
                    schedule();
                }
                return;
            }
        }
        listener.onEvent(args, ack);
    }

    private void schedule() {
        try {
            timer.schedule(() -> workers.execute(this::drain), Math.max(1, bucket.nanosUntilNext()),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (held) {
                if (held.isEmpty()) {
                    draining = false;
                    return;
                }
                if (!bucket.tryTake()) {
                    schedule();
                    return;
                }
                next = held.poll();
            }
            next.run();
        }
    }

    private void run(String event, EventListener listener, Args args, Ack ack) {
        try {
            listener.onEvent(args, ack);
        } catch (Args.ArgumentTypeException e) {
            log.debug("socket {}: held \"{}\" dropped: {}", socket.id(), event, e.getMessage());
        } catch (Exception e) {
            log.error("socket {}: held listener for \"{}\" failed", socket.id(), event, e);
        }
    }

    private void refuse(String event, Ack ack) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("ok", false);
        error.put("error", "rate_limited");
        error.put("message", "too many events waiting (" + capacity + "); slow down");
        error.put("event", event);
        if (ack.requested()) {
            ack.send(error);
            return;
        }
        // Without an ack the client hears it as a chat-error, at most once a second: a flood must not make the
        // server send as much back.
        long now = System.nanoTime();
        synchronized (held) {
            if (now - lastNotice < 1_000_000_000L) {
                return;
            }
            lastNotice = now;
        }
        socket.emit("chat-error", error);
    }
}
