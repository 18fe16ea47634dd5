package io.hibiki.bench.scenario;

import io.hibiki.bench.load.Latencies;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.ProcessStats;
import io.hibiki.bench.load.SioClient;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledged requests: C clients each keep one {@code echo} request outstanding (closed loop), so the offered
 * load adapts to what the server sustains. Measures acks/s, latency, and server CPU per ack.
 */
public final class EchoAck {

    private EchoAck() {
    }

    public static Map<String, Object> run(LoadGenerator gen, Target target, int clients, int warmupSeconds,
                                          int measureSeconds) throws Exception {
        long[] sentAt = new long[clients];
        long[] nextId = new long[clients];
        Latencies lat = new Latencies(500_000);
        long[] acks = {0};
        boolean[] measuring = {false};
        boolean[] running = {true};
        List<SioClient> list = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            final int me = i;
            SioClient.Listener l = new SioClient.Listener() {
                @Override
                public void onAck(SioClient c, long id, ByteBuf frame) {
                    if (measuring[0]) {
                        acks[0]++;
                        lat.add(System.nanoTime() - sentAt[me]);
                    }
                    if (running[0]) {
                        send(c, me, sentAt, nextId);
                    }
                }
            };
            list.add(gen.connect(target.host(), target.port(me), false, l).get(30, TimeUnit.SECONDS));
        }
        SioClient first = list.get(0);
        first.channel().eventLoop().submit(() -> {
            for (int i = 0; i < clients; i++) {
                send(list.get(i), i, sentAt, nextId);
            }
        }).get();
        Thread.sleep(warmupSeconds * 1000L);
        double[] start = new double[4];
        first.channel().eventLoop().submit(() -> {
            measuring[0] = true;
            start[0] = System.nanoTime();
            start[1] = target.cpuSeconds();
            start[2] = ProcessStats.cpuSeconds(ProcessStats.self());
            start[3] = target.userCpuSeconds();
        }).get();
        Thread.sleep(measureSeconds * 1000L);
        double[] end = new double[5];
        first.channel().eventLoop().submit(() -> {
            measuring[0] = false;
            running[0] = false;
            end[0] = System.nanoTime();
            end[1] = target.cpuSeconds();
            end[2] = ProcessStats.cpuSeconds(ProcessStats.self());
            end[3] = acks[0];
            end[4] = target.userCpuSeconds();
        }).get();
        LoadGenerator.closeAll(list);
        double seconds = (end[0] - start[0]) / 1e9;
        double serverCpu = end[1] - start[1];
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "echo-ack");
        r.put("server", target.name());
        r.put("clients", clients);
        r.put("acks_per_s", Math.round(end[3] / seconds));
        r.put("p50_ms", FanOut.round(lat.percentileMillis(50)));
        r.put("p99_ms", FanOut.round(lat.percentileMillis(99)));
        r.put("p999_ms", FanOut.round(lat.percentileMillis(99.9)));
        r.put("server_cpu_us_per_ack", end[3] == 0 ? null : FanOut.round(serverCpu * 1e6 / end[3]));
        r.put("server_user_cpu_us_per_ack", end[3] == 0 ? null : FanOut.round((end[4] - start[3]) * 1e6 / end[3]));
        r.put("server_cpu_percent", Math.round(serverCpu / seconds * 100));
        r.put("generator_cpu_percent", Math.round((end[2] - start[2]) / seconds * 100));
        return r;
    }

    private static void send(SioClient c, int me, long[] sentAt, long[] nextId) {
        long id = nextId[me]++;
        sentAt[me] = System.nanoTime();
        c.send("42" + id + "[\"echo\",{\"n\":" + id + ",\"text\":\"hello from a benchmark client\"}]");
    }
}
