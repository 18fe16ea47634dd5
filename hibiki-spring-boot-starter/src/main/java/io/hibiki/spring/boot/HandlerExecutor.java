package io.hibiki.spring.boot;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of {@code hibiki.socketio.handler-threads}. Its queue needs no bound of its own: Hibiki queues at most
 * {@code eventQueue} events per socket and hands this executor one per connection at a time.
 */
final class HandlerExecutor implements Executor {

    private final int threads;
    private final ThreadPoolExecutor pool;

    HandlerExecutor(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("hibiki.socketio.handler-threads must be >= 0, got " + threads);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 0 ? null : new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "hibiki-handler-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        if (pool != null) {
            pool.allowCoreThreadTimeOut(true);
        }
    }

    int threads() {
        return threads;
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** After the server's graceful close: lets running handlers end, takes nothing new. */
    void shutdown() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
