package io.hibiki.bench.scenario;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Many idle WebSocket clients: resident memory per connection and connect rate.
 *
 * <p>Two figures per connection: the whole growth over the baseline divided by the count (what the server costs
 * with N clients, one-off growth included: JIT code, allocator arenas, the first pass over the heap), and the
 * marginal cost, the growth from N/2 to N clients divided by N/2 (what one more client costs once the process is
 * warm).
 *
 * <p>And a third, the steady figure: the growth over the baseline once the connections have been idle for a while
 * ({@code steadySeconds} after the last one connected, 30 s in a full run): past the first heartbeat round of both
 * servers (25 s ping interval), and past what the connect burst left behind (compiler arenas, buffers), which the
 * reading 3 s after the burst still includes. The median of five readings a second apart, because a heartbeat
 * round can be under way.
 */
public final class Idle {

    private Idle() {
    }

    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients, int steadySeconds)
            throws Exception {
        long rss0 = target.rssBytes();
        int half = clients / 2;
        long t0 = System.nanoTime();
        List<SioClient> list = new ArrayList<>(gen.connectMany(target.host(), target.port(0), half, 256, false,
                () -> new SioClient.Listener() {
                }, 180));
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        // Let the server settle (lazy allocations, a GC) before reading its memory.
        Thread.sleep(3000);
        long rssHalf = target.rssBytes();
        t0 = System.nanoTime();
        list.addAll(gen.connectMany(target.host(), target.port(0), clients - half, 256, false,
                () -> new SioClient.Listener() {
                }, 180));
        long connected = System.nanoTime();
        connectSeconds += (connected - t0) / 1e9;
        Thread.sleep(3000);
        long rss1 = target.rssBytes();
        int open = countOpen(list);
        long[] steady = new long[5];
        long firstReading = connected + TimeUnit.SECONDS.toNanos(Math.max(4, steadySeconds - 2));
        for (int i = 0; i < steady.length; i++) {
            long wait = firstReading + TimeUnit.SECONDS.toNanos(i) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            steady[i] = target.rssBytes();
        }
        Arrays.sort(steady);
        int openSteady = countOpen(list);
        LoadGenerator.closeAll(list);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "idle");
        r.put("server", target.name());
        r.put("clients", clients);
        r.put("open_after_settle", open);
        r.put("connects_per_s", Math.round(clients / connectSeconds));
        r.put("rss_before_mb", Math.round(rss0 / 1e5) / 10.0);
        r.put("rss_after_mb", Math.round(rss1 / 1e5) / 10.0);
        r.put("rss_kb_per_connection", Math.round((rss1 - rss0) / 1024.0 / clients * 10) / 10.0);
        r.put("rss_kb_per_connection_marginal",
                Math.round((rss1 - rssHalf) / 1024.0 / (clients - half) * 10) / 10.0);
        r.put("steady_after_s", Math.max(4, steadySeconds - 2) + 2);
        r.put("open_after_steady", openSteady);
        r.put("rss_kb_per_connection_steady", Math.round((steady[2] - rss0) / 1024.0 / clients * 10) / 10.0);
        r.put("rss_steady_mb", Math.round(steady[2] / 1e5) / 10.0);
        return r;
    }

    private static int countOpen(List<SioClient> list) {
        int open = 0;
        for (SioClient c : list) {
            if (c.isOpen()) {
                open++;
            }
        }
        return open;
    }
}
