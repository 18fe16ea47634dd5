package io.hibiki.bench.scenario;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many idle WebSocket clients: resident memory per connection and connect rate.
 *
 * <p>Two figures per connection: the whole growth over the baseline divided by the count (what the server costs
 * with N clients, one-off growth included: JIT code, allocator arenas, the first pass over the heap), and the
 * marginal cost, the growth from N/2 to N clients divided by N/2 (what one more client costs once the process is
 * warm).
 */
public final class Idle {

    private Idle() {
    }

    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients) throws Exception {
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
        connectSeconds += (System.nanoTime() - t0) / 1e9;
        Thread.sleep(3000);
        long rss1 = target.rssBytes();
        int open = 0;
        for (SioClient c : list) {
            if (c.isOpen()) {
                open++;
            }
        }
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
        return r;
    }
}
