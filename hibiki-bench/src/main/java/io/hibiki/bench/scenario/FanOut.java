package io.hibiki.bench.scenario;

import io.hibiki.bench.load.Latencies;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.ProcessStats;
import io.hibiki.bench.load.SioClient;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Room fan-out: C clients in one room, a sender asks the server to emit to the room at a fixed rate (or as fast as
 * a window of in-flight messages allows). Measures deliveries, end-to-end latency, losses, and server CPU per
 * delivery. All clients and the sender share the generator's single event loop, so the counters need no locks.
 */
public final class FanOut {

    private static final byte[] T_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_KEY = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final String PADDING = "x".repeat(100);
    /** Messages in flight in max-rate mode. */
    private static final int WINDOW = 8;

    private FanOut() {
    }

    /**
     * @param rate messages per second sent to the room, 0 for max rate
     */
    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients, int rate, int warmupSeconds,
                                          int measureSeconds, boolean deflate) throws Exception {
        return run(gen, target, clients, rate, warmupSeconds, measureSeconds, deflate, false);
    }

    /** As above; with {@code polling}, receivers use HTTP long-polling instead of WebSocket. */
    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients, int rate, int warmupSeconds,
                                          int measureSeconds, boolean deflate, boolean polling) throws Exception {
        int maxSeq = rate > 0 ? rate * (warmupSeconds + measureSeconds) + 16 : 2_000_000;
        int[] counts = new int[maxSeq];
        long[] lastSeq = new long[clients];
        Latencies lat = new Latencies(500_000);
        long[] state = new long[4]; // 0: first measured seq, 1: received in window, 2: out of order, 3: completed
        state[0] = Long.MAX_VALUE;
        SioClient[] senderRef = new SioClient[1];
        long[] sent = {0};
        boolean[] sending = {false};
        CountDownLatch joined = new CountDownLatch(clients);

        List<SioClient> receivers = new java.util.ArrayList<>();
        List<io.hibiki.bench.load.PollClient> pollers = new java.util.ArrayList<>();
        for (int i = 0; i < clients; i++) {
            final int me = i;
            lastSeq[me] = -1;
            SioClient.Listener l = new SioClient.Listener() {
                @Override
                public void onEvent(SioClient c, ByteBuf frame) {
                    long seq = SioClient.numberAfter(frame, SEQ_KEY);
                    long t = SioClient.numberAfter(frame, T_KEY);
                    if (seq < 0 || seq >= maxSeq) {
                        return;
                    }
                    if (seq < lastSeq[me]) {
                        state[2]++;
                    }
                    lastSeq[me] = seq;
                    if (seq >= state[0]) {
                        lat.add(System.nanoTime() - t);
                        state[1]++;
                    }
                    if (++counts[(int) seq] == clients) {
                        state[3]++;
                        if (rate == 0 && sending[0]) {
                            sendOne(senderRef[0], sent);
                        }
                    }
                }

                @Override
                public void onAck(SioClient c, long id, ByteBuf frame) {
                    joined.countDown();
                }
            };
            if (polling) {
                pollers.add(gen.connectPolling(target.host(), target.port(me), l).get(30, TimeUnit.SECONDS));
            } else {
                receivers.add(gen.connect(target.host(), target.port(me), deflate, l).get(30, TimeUnit.SECONDS));
            }
        }
        for (SioClient r : receivers) {
            r.send("420[\"join\",\"bench\"]");
        }
        for (io.hibiki.bench.load.PollClient p : pollers) {
            p.send("420[\"join\",\"bench\"]");
        }
        if (!joined.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("clients did not join in time");
        }
        SioClient sender = gen.connect(target.host(), target.port(0), false, new SioClient.Listener() {
        }).get(30, TimeUnit.SECONDS);
        senderRef[0] = sender;

        ScheduledFuture<?> ticker = null;
        long start = System.nanoTime();
        if (rate > 0) {
            ticker = sender.channel().eventLoop().scheduleAtFixedRate(() -> {
                long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                boolean wrote = false;
                while (sent[0] < due && sent[0] < maxSeq) {
                    sender.write(message(sent[0]++));
                    wrote = true;
                }
                if (wrote) {
                    sender.flush();
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
        } else {
            sender.channel().eventLoop().execute(() -> {
                sending[0] = true;
                for (int i = 0; i < WINDOW; i++) {
                    sendOne(sender, sent);
                }
            });
        }
        Thread.sleep(warmupSeconds * 1000L);
        double[] cpu0 = {0, 0};
        long[] window0 = new long[3];
        sender.channel().eventLoop().submit(() -> {
            state[0] = sent[0];
            window0[0] = state[3];
            window0[1] = System.nanoTime();
            cpu0[0] = target.cpuSeconds();
            cpu0[1] = target.userCpuSeconds();
            window0[2] = Double.doubleToLongBits(ProcessStats.cpuSeconds(ProcessStats.self()));
        }).get();
        Thread.sleep(measureSeconds * 1000L);
        long[] end = new long[3];
        double[] cpu1 = {0, 0};
        sender.channel().eventLoop().submit(() -> {
            sending[0] = false;
            end[0] = sent[0];
            end[1] = System.nanoTime();
            end[2] = state[3];
            cpu1[0] = target.cpuSeconds();
            cpu1[1] = target.userCpuSeconds();
        }).get();
        double genCpu = ProcessStats.cpuSeconds(ProcessStats.self()) - Double.longBitsToDouble(window0[2]);
        if (ticker != null) {
            ticker.cancel(false);
        }
        long firstSeq = state[0];
        long lastSeqSent = end[0];
        // Let what is in flight arrive before counting losses.
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < drainDeadline) {
            long missing = sender.channel().eventLoop().submit(() -> missing(counts, firstSeq, lastSeqSent, clients)).get();
            if (missing == 0) {
                break;
            }
            Thread.sleep(50);
        }
        long missing = sender.channel().eventLoop().submit(() -> missing(counts, firstSeq, lastSeqSent, clients)).get();
        double seconds = (end[1] - window0[1]) / 1e9;
        long messages = lastSeqSent - firstSeq;
        long deliveries = messages * clients - missing;
        double serverCpu = cpu1[0] - cpu0[0];
        double serverUserCpu = cpu1[1] - cpu0[1];

        LoadGenerator.closeAll(receivers);
        LoadGenerator.closeAll(List.of(sender));
        pollers.forEach(io.hibiki.bench.load.PollClient::close);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "fanout");
        r.put("server", target.name());
        r.put("clients", clients);
        r.put("rate", rate == 0 ? "max" : rate);
        r.put("deflate", deflate);
        r.put("transport", polling ? "polling" : "websocket");
        r.put("offered_deliveries_per_s", rate == 0 ? null : (long) rate * clients);
        r.put("delivered_per_s", Math.round(deliveries / seconds));
        r.put("lost", missing);
        r.put("out_of_order", state[2]);
        r.put("p50_ms", round(lat.percentileMillis(50)));
        r.put("p99_ms", round(lat.percentileMillis(99)));
        r.put("p999_ms", round(lat.percentileMillis(99.9)));
        r.put("max_ms", round(lat.percentileMillis(100)));
        r.put("server_cpu_us_per_delivery", deliveries == 0 ? null : round(serverCpu * 1e6 / deliveries));
        r.put("server_user_cpu_us_per_delivery", deliveries == 0 ? null : round(serverUserCpu * 1e6 / deliveries));
        r.put("server_cpu_percent", Math.round(serverCpu / seconds * 100));
        r.put("generator_cpu_percent", Math.round(genCpu / seconds * 100));
        return r;
    }

    private static void sendOne(SioClient sender, long[] sent) {
        sender.send(message(sent[0]++));
    }

    private static String message(long seq) {
        return "42[\"to-room\",{\"room\":\"bench\",\"payload\":{\"t\":" + System.nanoTime() + ",\"seq\":" + seq
                + ",\"p\":\"" + PADDING + "\"}}]";
    }

    private static long missing(int[] counts, long from, long to, int clients) {
        long m = 0;
        for (long s = from; s < to; s++) {
            m += clients - counts[(int) s];
        }
        return m;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }
}
