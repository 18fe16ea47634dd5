package io.hibiki.bench.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.Args;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.hibiki.redis.ShardedRedisAdapter;
import io.hibiki.redis.ShardedRedisAdapterOptions;
import io.hibiki.socketio.SocketIoServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the sharded adapter's subscription of every socket's own room costs Redis (issue 20): one instance on the
 * sharded adapter, N WebSocket clients connecting, then leaving; Redis's memory (used_memory), its CPU time
 * (used_cpu_user + used_cpu_sys) and the count of shard channels, read before, with everyone connected, and after.
 * The clients and the server share this JVM (two descriptors per connection: the machine's limit of 20 000 open
 * files per process bounds N at about 9 500). Use a Redis nobody else is using while it runs.
 * Usage: {@code java -jar hibiki-bench.jar sharded-subscriptions [--clients=8000] [--redis=redis://127.0.0.1:6379]}
 */
public final class ShardedSubscriptions {

    private ShardedSubscriptions() {
    }

    public static void main(String[] argv) throws Exception {
        // Lettuce would warn that it found both native transports (this module brings io_uring's for --io-transport).
        System.setProperty("io.lettuce.core.iouring", "false");
        Args a = new Args(argv);
        int clients = a.getInt("clients", 8000);
        String uri = a.get("redis", "redis://127.0.0.1:6379");
        String prefix = "bench-sharded-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        RedisClient redis = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = redis.connect()) {
            RedisCommands<String, String> r = c.sync();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("clients", clients);
            SocketIoServer io = SocketIoServer.builder()
                    .adapter(ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.of(uri).withChannelPrefix(prefix)))
                    .build();
            int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
            try (LoadGenerator gen = new LoadGenerator(1)) {
                Thread.sleep(1000);
                long[] before = read(r, prefix);
                List<SioClient> list = gen.connectMany("127.0.0.1", port, clients, 256, false,
                        () -> new SioClient.Listener() {
                        }, 300);
                awaitChannels(r, prefix, before[2] + clients, true);
                long[] connected = read(r, prefix);
                LoadGenerator.closeAll(list);
                awaitChannels(r, prefix, before[2], false);
                long[] after = read(r, prefix);
                out.put("shard_channels_before", before[2]);
                out.put("shard_channels_connected", connected[2]);
                out.put("shard_channels_after", after[2]);
                out.put("redis_memory_per_socket_bytes", (connected[0] - before[0]) / clients);
                out.put("redis_cpu_us_per_subscribe", (connected[1] - before[1]) / clients);
                out.put("redis_cpu_us_per_unsubscribe", (after[1] - connected[1]) / clients);
                out.put("redis_memory_left_after_bytes", after[0] - before[0]);
            } finally {
                io.close();
            }
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } finally {
            redis.shutdown();
        }
    }

    /** used_memory, CPU in microseconds, and this run's shard channels. */
    private static long[] read(RedisCommands<String, String> r, String prefix) {
        long memory = field(r.info("memory"), "used_memory");
        String cpu = r.info("cpu");
        double seconds = Double.parseDouble(value(cpu, "used_cpu_user")) + Double.parseDouble(value(cpu, "used_cpu_sys"));
        long channels = r.dispatch(io.lettuce.core.protocol.CommandType.PUBSUB,
                new io.lettuce.core.output.ArrayOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                        .add("SHARDCHANNELS").add(prefix + "*")).size();
        return new long[] {memory, (long) (seconds * 1_000_000), channels};
    }

    private static void awaitChannels(RedisCommands<String, String> r, String prefix, long target, boolean atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            long n = read(r, prefix)[2];
            if (atLeast ? n >= target : n <= target) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("shard channels did not reach " + target);
    }

    private static long field(String info, String name) {
        return Long.parseLong(value(info, name));
    }

    private static String value(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException(name + " not in INFO");
    }
}
