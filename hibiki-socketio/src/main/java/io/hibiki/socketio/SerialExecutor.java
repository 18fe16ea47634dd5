package io.hibiki.socketio;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in order, on a shared executor: per-connection ordering off the event loop. Tasks run
 * in turns of {@link #TURN}, so that connections share the executor fairly.
 */
final class SerialExecutor implements Executor {

    /** Tasks one connection runs before it lets others have the worker. */
    static final int TURN = 8;

    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        delegate.execute(this::drain);
    }

    private void drain() {
        for (int ran = 0; ; ran++) {
            Runnable next;
            synchronized (tasks) {
                if (tasks.isEmpty()) {
                    running = false;
                    return;
                }
                if (ran == TURN) {
                    break;
                }
                next = tasks.poll();
            }
            next.run();
        }
        // A turn is over with tasks left: go to the back of the shared executor's queue, so that one busy
        // connection (a flood) cannot keep a worker to itself while other connections' tasks wait.
        delegate.execute(this::drain);
    }
}
