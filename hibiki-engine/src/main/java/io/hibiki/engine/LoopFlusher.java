package io.hibiki.engine;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flushes written channels once per event-loop turn: a broadcast that writes to thousands of channels on one
 * loop queues one flush task for all of them, instead of a flush (syscall) or a scheduled task per channel, and
 * several packets to one channel in the same turn leave in one write. Each loop only touches its own entry.
 */
final class LoopFlusher {

    private static final ConcurrentHashMap<EventLoop, LoopFlusher> PENDING = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final ArrayList<Channel> channels = new ArrayList<>();

    private LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** Marks a channel written; flushes it now when called off its loop. */
    static void flushLater(Channel channel) {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            channel.flush();
            return;
        }
        LoopFlusher f = PENDING.get(loop);
        if (f == null) {
            f = new LoopFlusher(loop);
            PENDING.put(loop, f);
            loop.execute(f::flushAll);
        }
        f.channels.add(channel);
    }

    private void flushAll() {
        PENDING.remove(loop, this);
        for (Channel c : channels) {
            c.flush();
        }
    }
}
