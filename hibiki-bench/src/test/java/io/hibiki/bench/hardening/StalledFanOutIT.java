package io.hibiki.bench.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.hibiki.engine.NotFoundHandler;
import io.hibiki.socketio.DisconnectReason;
import io.hibiki.socketio.SocketIoServer;
import io.netty.channel.ChannelOption;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scaled case: a broadcast feed to 5 000 WebSocket clients of which every tenth has stopped reading.
 * The 4 500 readers must get every message in order, the 500 stalled ones must be disconnected (and their
 * connections closed by the server), and the server's heap must not grow with what the stalled ones did not
 * take. Server and load generator (2 event loop threads) share this JVM; heap is read after a GC before the feed
 * and after it. The feed is paced by the readers: a message goes out once every reader has all but the last
 * {@link #WINDOW}, as a real feed's rate is below what its readers take.
 */
class StalledFanOutIT {

    private static final int CLIENTS = 5_000;
    private static final int MESSAGES = 160;
    private static final int WINDOW = 16;
    private static final String PAD = "x".repeat(4 * 1024);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ResourceLeakDetector.Level leakLevel;

    /**
     * Paranoid leak tracking (the build's setting) records a stack trace per buffer access; at a million
     * deliveries it would measure the detector, not the server. The small backpressure tests keep it.
     */
    @BeforeAll
    static void lighterLeakTracking() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void restoreLeakTracking() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void readersGetEveryBroadcastWhileStalledReadersAreDisconnected() throws Exception {
        assumeTrue(Loopback.kernelTablesReadable(), "needs /proc/net/tcp to see the server's side of a connection");
        Map<String, DisconnectReason> reasons = new ConcurrentHashMap<>();
        SocketIoServer io = SocketIoServer.builder()
                .engine(e -> e.maxPendingBytes(256 * 1024).slowConsumerTimeout(Duration.ofSeconds(2))).build();
        io.onConnection(s -> {
            s.on("iam", (args, ack) -> s.data().put("role", args.getString(0)));
            s.onDisconnect(r -> reasons.put(s.id() + "/" + s.data().get("role"), r));
        });
        // Small socket send buffers, so a stalled connection backs up in the server after kilobytes, not the
        // megabytes loopback would otherwise buffer in the kernel per connection.
        int port = io.listen(new InetSocketAddress("127.0.0.1", 0), p -> {
            p.channel().config().setOption(ChannelOption.SO_SNDBUF, 16 * 1024);
            p.addLast(new NotFoundHandler());
        });
        int readers = CLIENTS - CLIENTS / 10;
        AtomicIntegerArray delivered = new AtomicIntegerArray(MESSAGES);
        Semaphore feed = new Semaphore(WINDOW);
        List<Loopback.Counter> counters = new ArrayList<>();
        try (LoadGenerator gen = new LoadGenerator(2)) {
            long t0 = System.nanoTime();
            List<SioClient> clients = gen.connectMany("127.0.0.1", port, CLIENTS, 200, false, () -> {
                boolean reader = counters.size() % 10 != 0;
                Loopback.Counter c = new Loopback.Counter(MESSAGES) {
                    @Override
                    void onTick(int n) {
                        if (reader && n >= 0 && n < MESSAGES && delivered.incrementAndGet(n) == readers) {
                            feed.release();
                        }
                    }
                };
                counters.add(c);
                return c;
            }, 60);
            List<SioClient> stalled = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                boolean stall = i % 10 == 0;
                clients.get(i).send("42[\"iam\",\"" + (stall ? "stalled" : "reader") + "\"]");
                if (stall) {
                    stalled.add(clients.get(i));
                }
            }
            Awaitility.await().atMost(WAIT).until(() -> io.sockets().values().stream()
                    .filter(s -> s.data().containsKey("role")).count() == CLIENTS);
            stalled.forEach(c -> c.channel().config().setAutoRead(false));
            for (var loop : gen.group()) {
                loop.submit(() -> { }).get(10, TimeUnit.SECONDS); // the loops have applied autoRead=false
            }
            long connectedMs = (System.nanoTime() - t0) / 1_000_000;
            long heapBefore = heapAfterGc();

            long t1 = System.nanoTime();
            for (int n = 0; n < MESSAGES; n++) {
                if (!feed.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("readers stopped taking message " + n + ": message " + (n - WINDOW)
                            + " reached " + delivered.get(n - WINDOW) + " of " + readers + " readers; sockets "
                            + io.sockets().size() + ", disconnected " + reasons.size());
                }
                io.emit("tick", Map.of("n", n, "pad", PAD));
            }
            assertTrue(feed.tryAcquire(WINDOW, 30, TimeUnit.SECONDS), "the last messages reached every reader");
            long feedMs = (System.nanoTime() - t1) / 1_000_000;
            Awaitility.await().atMost(WAIT).until(() -> reasons.size() == stalled.size());
            long heapAfter = heapAfterGc();

            System.out.printf("5000 clients connected in %d ms; %d messages x %d readers in %d ms; heap after GC "
                            + "%d MB before the feed, %d MB after (%+d MB)%n", connectedMs, MESSAGES, readers, feedMs,
                    heapBefore >> 20, heapAfter >> 20, (heapAfter - heapBefore) >> 20);

            int stalledIndex = 0;
            for (int i = 0; i < counters.size(); i++) {
                Loopback.Counter c = counters.get(i);
                if (stalledIndex < stalled.size() && clients.get(i) == stalled.get(stalledIndex)) {
                    stalledIndex++;
                    continue;
                }
                assertEquals(MESSAGES, c.ticks.get(), "reader " + i);
                assertEquals(0, c.outOfOrder.get(), "reader " + i + " in order");
            }
            assertTrue(reasons.keySet().stream().allMatch(k -> k.endsWith("/stalled")), "only stalled: " + reasons);
            assertTrue(reasons.values().stream().allMatch(r -> r == DisconnectReason.TRANSPORT_ERROR), "" + reasons);
            assertEquals(readers, io.sockets().size(), "every reader is still connected");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<Integer, String> states = Loopback.serverSideStates(port);
                long open = stalled.stream().filter(c -> "01".equals(states.get(Loopback.localPort(c)))).count();
                assertEquals(0, open, "stalled connections the server still holds ESTABLISHED");
            });
            assertTrue(heapAfter - heapBefore < 256L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MB");
        } finally {
            io.close();
        }
    }
}
