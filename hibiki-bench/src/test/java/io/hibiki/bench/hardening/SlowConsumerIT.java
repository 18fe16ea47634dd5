package io.hibiki.bench.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.hibiki.engine.EngineOptions;
import io.hibiki.engine.NotFoundHandler;
import io.hibiki.socketio.DisconnectReason;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket client that stops reading while the server broadcasts: it is disconnected (after
 * {@code slowConsumerTimeout} over the high-water mark, or once {@code maxPendingBytes} wait for it), the server
 * really closes its TCP connection, and the clients that read get every message in order. Volatile emits skip it
 * while it is unwritable. Clients are raw Socket.IO-over-WebSocket ones from the load generator; the stalled one
 * has {@code autoRead} off. The server's socket send buffers are set small through {@code listen}'s pipeline hook
 * so that a burst of 2.6 MB per client is enough to back up in the server.
 */
class SlowConsumerIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PAD = "x".repeat(16 * 1024);
    /** 2.6 MB: over the 1 MiB high-water mark plus what the (small) socket buffers of a stalled connection hold. */
    private static final int BURST = 160;
    /** Server socket send buffer: small, so that a stalled connection shows in Netty after kilobytes, not megabytes. */
    private static final int SEND_BUFFER = 16 * 1024;

    private SocketIoServer io;
    private int port;
    private LoadGenerator gen;
    private final Map<String, DisconnectReason> reasons = new ConcurrentHashMap<>();
    private final Map<String, Long> disconnectedAt = new ConcurrentHashMap<>();
    /** 16 ticks of 16 KiB: what a reading client may have in flight, well under every limit below. */
    private final Loopback.Counter[] healthy = {new Loopback.Counter(16), new Loopback.Counter(16)};
    private final Loopback.Counter stalledCounter = new Loopback.Counter(BURST);
    private SioClient stalled;

    @BeforeEach
    void checkPlatform() {
        assumeTrue(Loopback.kernelTablesReadable(), "needs /proc/net/tcp to see the server's side of a connection");
        gen = new LoadGenerator(1);
    }

    @AfterEach
    void stop() {
        gen.close();
        if (io != null) {
            io.close();
        }
    }

    /** A server with the given engine limits; three clients, which tell the server their role. */
    private void start(Consumer<EngineOptions.Builder> limits) throws Exception {
        io = SocketIoServer.builder().engine(limits).build();
        io.onConnection(s -> {
            s.on("iam", (args, ack) -> s.data().put("role", args.getString(0)));
            s.onDisconnect(r -> {
                String role = String.valueOf(s.data().get("role"));
                disconnectedAt.put(role, System.nanoTime());
                reasons.put(role, r);
            });
        });
        port = io.listen(new InetSocketAddress("127.0.0.1", 0), p -> {
            p.channel().config().setOption(ChannelOption.SO_SNDBUF, SEND_BUFFER);
            p.addLast(new NotFoundHandler());
        });
        for (int i = 0; i < healthy.length; i++) {
            SioClient reader = gen.connect("127.0.0.1", port, false, healthy[i]).get(10, TimeUnit.SECONDS);
            reader.send("42[\"iam\",\"healthy" + i + "\"]");
        }
        stalled = gen.connect("127.0.0.1", port, false, stalledCounter).get(10, TimeUnit.SECONDS);
        stalled.send("42[\"iam\",\"stalled\"]");
        Awaitility.await().atMost(WAIT).until(() -> io.sockets().values().stream()
                .filter(s -> s.data().containsKey("role")).count() == 3);
        stalled.channel().config().setAutoRead(false);
        stalled.channel().eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS); // applied by its loop
    }

    private Socket serverSocket(String role) {
        return io.sockets().values().stream().filter(s -> role.equals(s.data().get("role"))).findFirst().orElseThrow();
    }

    /**
     * 2.6 MB to every client, paced by the readers (as a real feed is: a sender far faster than its fastest reader
     * makes every reader a slow consumer), so only the stalled client falls behind.
     */
    private void burst() throws InterruptedException {
        for (int i = 0; i < BURST; i++) {
            for (Loopback.Counter c : healthy) {
                try {
                    c.awaitRoom();
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + " at tick " + i + ": " + diagnostics(), e);
                }
            }
            io.emit("tick", Map.of("n", i, "pad", PAD));
        }
    }

    private String diagnostics() {
        StringBuilder d = new StringBuilder("reasons=" + reasons + " sessions=" + io.engine().clientsCount());
        for (Loopback.Counter c : healthy) {
            d.append(" healthy ticks=").append(c.ticks.get()).append(" ooo=").append(c.outOfOrder.get());
        }
        io.sockets().values().forEach(s -> d.append(" ").append(s.data().get("role")).append(" writable=")
                .append(s.conn().isWritable()));
        return d.toString();
    }

    private void assertHealthyGotEverything(int ticks) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            for (Loopback.Counter c : healthy) {
                assertEquals(ticks, c.ticks.get());
            }
        });
        for (Loopback.Counter c : healthy) {
            assertEquals(0, c.outOfOrder.get(), "in order");
        }
        assertFalse(reasons.containsKey("healthy0") || reasons.containsKey("healthy1"), diagnostics());
    }

    private void assertServerClosedTheStalledConnection() {
        int clientPort = Loopback.localPort(stalled);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertNotEquals("01", Loopback.serverSideState(port, clientPort),
                        "the server's end must not stay ESTABLISHED behind a close frame the client never reads"));
    }

    @Test
    void aStalledReaderIsDisconnectedAfterSlowConsumerTimeout() throws Exception {
        start(e -> e.slowConsumerTimeout(Duration.ofSeconds(1)));
        long t0 = System.nanoTime();
        burst();
        Awaitility.await().atMost(WAIT).until(() -> reasons.containsKey("stalled"));
        long afterMs = (disconnectedAt.get("stalled") - t0) / 1_000_000;
        System.out.printf("stalled reader disconnected %d ms after the burst began%n", afterMs);
        assertTrue(afterMs >= 1000, "not before the timeout: " + afterMs + " ms");
        assertEquals(DisconnectReason.TRANSPORT_ERROR, reasons.get("stalled"));
        assertHealthyGotEverything(BURST);
        assertServerClosedTheStalledConnection();
    }

    @Test
    void aStalledReaderIsDisconnectedOnceMaxPendingBytesWaitForIt() throws Exception {
        start(e -> e.maxPendingBytes(512 * 1024).slowConsumerTimeout(Duration.ofSeconds(60)));
        long t0 = System.nanoTime();
        burst();
        Awaitility.await().atMost(WAIT).until(() -> reasons.containsKey("stalled"));
        long afterMs = (disconnectedAt.get("stalled") - t0) / 1_000_000;
        System.out.printf("stalled reader disconnected %d ms after the burst began%n", afterMs);
        assertTrue(afterMs < 10_000, "long before the 60 s timeout: " + afterMs + " ms");
        assertEquals(DisconnectReason.TRANSPORT_ERROR, reasons.get("stalled"));
        assertHealthyGotEverything(BURST);
        assertServerClosedTheStalledConnection();
    }

    @Test
    void volatileEmitsSkipAStalledReaderAndReachTheOthers() throws Exception {
        start(e -> e.maxPendingBytes(64 * 1024 * 1024).slowConsumerTimeout(Duration.ofSeconds(60)));
        burst();
        assertHealthyGotEverything(BURST);
        Socket slow = serverSocket("stalled");
        Awaitility.await().atMost(WAIT).until(() -> !slow.conn().isWritable());
        for (int i = 0; i < 50; i++) {
            io.volatileEmit().emit("v", i);
        }
        io.emit("end");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            for (Loopback.Counter c : healthy) {
                assertEquals(List.of(50, 1), List.of(c.volatiles.get(), c.ends.get()), "volatile reach the readers");
            }
        });
        stalled.channel().config().setAutoRead(true);
        Awaitility.await().atMost(WAIT).until(() -> stalledCounter.ends.get() == 1);
        assertEquals(BURST, stalledCounter.ticks.get(), "reliable packets all arrive once it reads again");
        assertEquals(0, stalledCounter.volatiles.get(), "volatile packets were dropped while it was unwritable");
        assertFalse(reasons.containsKey("stalled"), "still connected: " + reasons);
    }
}
