package io.hibiki.bench.scenario;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Many idle WebSocket clients: resident memory per connection and connect rate. */
public final class Idle {

    private Idle() {
    }

    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients) throws Exception {
        long rss0 = target.rssBytes();
        long t0 = System.nanoTime();
        List<SioClient> list = gen.connectMany(target.host(), target.port(0), clients, 256, false,
                () -> new SioClient.Listener() {
                }, 180);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        // Let the server settle (lazy allocations, a GC) before reading its memory.
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
        return r;
    }
}
