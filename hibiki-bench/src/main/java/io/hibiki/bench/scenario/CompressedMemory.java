package io.hibiki.bench.scenario;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory per connection with permessage-deflate turned on in the server: clients that offer it (as browsers do)
 * each send a compressed message and receive compressible broadcasts over the compression threshold; then the
 * server's resident memory growth per connection is read. This is where servers that keep a deflate context per
 * connection pay hundreds of KiB each.
 */
public final class CompressedMemory {

    private static final int BROADCASTS = 20;
    /** Above the 1024-byte threshold both servers use, and compressible. */
    private static final String PAYLOAD = "the quick brown fox jumps over the lazy dog ".repeat(50);

    private CompressedMemory() {
    }

    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients) throws Exception {
        long rss0 = target.rssBytes();
        CountDownLatch joined = new CountDownLatch(clients);
        AtomicLong delivered = new AtomicLong();
        List<SioClient> list = gen.connectMany(target.host(), target.port(0), clients, 256, true,
                () -> new SioClient.Listener() {
                    @Override
                    public void onEvent(SioClient c, ByteBuf frame) {
                        delivered.incrementAndGet();
                    }

                    @Override
                    public void onAck(SioClient c, long id, ByteBuf frame) {
                        joined.countDown();
                    }
                }, 180);
        for (SioClient c : list) {
            c.send("420[\"join\",\"deflate\"]");
        }
        if (!joined.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("clients did not join in time");
        }
        SioClient sender = list.get(0);
        for (int i = 0; i < BROADCASTS; i++) {
            sender.send("42[\"to-room\",{\"room\":\"deflate\",\"payload\":{\"i\":" + i + ",\"p\":\"" + PAYLOAD
                    + "\"}}]");
            Thread.sleep(50);
        }
        long expected = (long) BROADCASTS * clients;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (delivered.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Let the server settle (lazy allocations, a GC) before reading its memory.
        Thread.sleep(3000);
        long rss1 = target.rssBytes();
        LoadGenerator.closeAll(list);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "compressed-memory");
        r.put("server", target.name());
        r.put("clients", clients);
        r.put("delivered", delivered.get());
        r.put("lost", expected - delivered.get());
        r.put("rss_after_mb", Math.round(rss1 / 1e5) / 10.0);
        r.put("rss_kb_per_connection", Math.round((rss1 - rss0) / 1024.0 / clients * 10) / 10.0);
        return r;
    }
}
