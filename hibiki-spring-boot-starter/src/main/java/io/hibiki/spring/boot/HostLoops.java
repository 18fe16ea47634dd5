package io.hibiki.spring.boot;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The web server's event loops that carry Socket.IO connections, remembered as connections arrive (a handful: one
 * per loop), so the health check can tell whether they are responsive. Hibiki's own check covers only a listener
 * of its own.
 */
final class HostLoops {

    private final Set<EventLoop> loops = ConcurrentHashMap.newKeySet();

    void seen(EventLoop loop) {
        loops.add(loop);
    }

    /** Whether every loop seen ran a task within {@code within}. */
    CompletableFuture<Boolean> responsive(Duration within) {
        List<CompletableFuture<Void>> ran = new ArrayList<>();
        for (EventLoop loop : loops) {
            if (loop.isShuttingDown()) {
                continue;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                loop.execute(() -> done.complete(null));
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(e);
            }
            ran.add(done);
        }
        return CompletableFuture.allOf(ran.toArray(CompletableFuture[]::new))
                .orTimeout(within.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, e) -> e == null);
    }
}
