package io.hibiki.redis;

import io.hibiki.socketio.adapter.BroadcastOptions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Restored sessions and the last stream entry their replay read. A restore reads the stream up to its end, which
 * may be ahead of what this node has delivered live; once the socket is back in its rooms, the live path would
 * deliver those entries a second time. The live path asks here and leaves such sockets out.
 */
final class ReplayedEntries {

    /** Far longer than the live path lags behind the stream's end; only a bound on how long an entry is kept. */
    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Restores remembered at once, at most (each is a few dozen bytes); past it a restore is not remembered. */
    static final int MAX = 10_000;

    private record Replayed(String lastId, long until) {
    }

    private final Map<String, Replayed> bySid = new ConcurrentHashMap<>();
    /** The highest id any remembered replay reached: entries past it (nearly all) need no look at the map. */
    private volatile String highest = "0-0";

    /** The session {@code sid} was restored with the entries up to {@code lastId}. */
    void replayed(String sid, String lastId) {
        long now = System.nanoTime();
        bySid.values().removeIf(r -> now - r.until() > 0);
        if (bySid.size() < MAX) {
            bySid.put(sid, new Replayed(lastId, now + KEEP_NANOS));
            synchronized (this) {
                if (compare(lastId, highest) > 0) {
                    highest = lastId;
                }
            }
        }
    }

    /** {@code opts} without the restored sockets whose replay already held entry {@code id}. */
    BroadcastOptions excluding(BroadcastOptions opts, String id) {
        if (bySid.isEmpty() || compare(id, highest) > 0) {
            return opts;
        }
        Set<String> except = null;
        for (Map.Entry<String, Replayed> e : bySid.entrySet()) {
            if (compare(id, e.getValue().lastId()) <= 0) {
                if (except == null) {
                    except = new HashSet<>(opts.except());
                }
                // Every socket is in the room named by its id.
                except.add(e.getKey());
            }
        }
        return except == null ? opts : new BroadcastOptions(opts.rooms(), except, opts.flags());
    }

    /** Orders two stream ids ({@code <ms>-<seq>}). */
    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }
}
