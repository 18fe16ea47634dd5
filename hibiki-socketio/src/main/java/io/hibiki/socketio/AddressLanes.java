package io.hibiki.socketio;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Shares the listener executor fairly between client addresses, not only between connections: the connections of
 * one address together run at most {@code perAddress} turns at a time; their other turns wait here, not in the
 * executor's queue. Thirty flooding connections from one host then hold a few workers, not the executor's whole
 * queue, and the other addresses' tasks do not wait behind theirs.
 */
final class AddressLanes {

    private final Executor pool;
    private final int perAddress;
    private final ConcurrentHashMap<Object, Lane> lanes = new ConcurrentHashMap<>();

    AddressLanes(Executor pool, int perAddress) {
        if (perAddress < 1) {
            throw new IllegalArgumentException("perAddress must be at least 1: " + perAddress);
        }
        this.pool = pool;
        this.perAddress = perAddress;
    }

    /** The executor the connections from {@code client} run their turns on. */
    Executor laneFor(SocketAddress client) {
        Object key = client instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress() : client;
        return task -> lanes.computeIfAbsent(key, k -> new Lane(k)).execute(task);
    }

    /** Lanes alive now (an idle address keeps none). */
    int size() {
        return lanes.size();
    }

    private final class Lane {
        private final Object key;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        private int active;

        Lane(Object key) {
            this.key = key;
        }

        void execute(Runnable task) {
            synchronized (this) {
                if (active >= perAddress) {
                    waiting.add(task);
                    return;
                }
                active++;
            }
            pool.execute(() -> runThenNext(task));
        }

        private void runThenNext(Runnable task) {
            try {
                task.run();
            } finally {
                Runnable next;
                synchronized (this) {
                    next = waiting.poll();
                    if (next == null) {
                        active--;
                        if (active == 0) {
                            // Idle: forget the address. A task that found this lane a moment ago still runs
                            // (through this object); only the sharing with later tasks is lost, not the task.
                            lanes.remove(key, this);
                        }
                    }
                }
                if (next != null) {
                    Runnable following = next;
                    pool.execute(() -> runThenNext(following));
                }
            }
        }
    }

}
