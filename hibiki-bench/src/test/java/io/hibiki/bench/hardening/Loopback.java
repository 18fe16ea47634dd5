package io.hibiki.bench.hardening;

import io.hibiki.bench.load.SioClient;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Helpers for the hardening tests: what the kernel says about a loopback connection, and counting clients. */
final class Loopback {

    private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private Loopback() {
    }

    static boolean kernelTablesReadable() {
        return Files.isReadable(TCP_TABLES.get(0));
    }

    /**
     * The TCP state of the server's end of a loopback connection, as the kernel reports it ({@code 01}
     * ESTABLISHED, {@code 04} FIN_WAIT1 once the server closed its socket with unsent data, …), or {@code "gone"}.
     * Unlike anything the client can see while it does not read, this tells whether the server really let go.
     */
    static String serverSideState(int serverPort, int clientPort) {
        for (Path table : TCP_TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || f[0].equals("sl")) {
                    continue;
                }
                if (port(f[1]) == serverPort && port(f[2]) == clientPort) {
                    return f[3];
                }
            }
        }
        return "gone";
    }

    /** {@link #serverSideState} for every connection to {@code serverPort}, by client port, in one read. */
    static Map<Integer, String> serverSideStates(int serverPort) {
        Map<Integer, String> states = new HashMap<>();
        for (Path table : TCP_TABLES) {
            try {
                for (String line : Files.readAllLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 4 && !f[0].equals("sl") && port(f[1]) == serverPort) {
                        states.put(port(f[2]), f[3]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return states;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    static int localPort(SioClient client) {
        return ((InetSocketAddress) client.channel().localAddress()).getPort();
    }

    /**
     * Counts one client's events by name prefix ({@code 42["name"}) and checks that numbered ones ({@code "n":k})
     * arrive as 0, 1, 2, … Runs on the generator's loop; readable from any thread.
     */
    static class Counter implements SioClient.Listener {
        private static final byte[] N = "\"n\":".getBytes(StandardCharsets.US_ASCII);
        /** Ticks the sender may still send before this client has read more: flow control for a paced sender. */
        final Semaphore window;
        final AtomicInteger ticks = new AtomicInteger();
        final AtomicInteger volatiles = new AtomicInteger();
        final AtomicInteger ends = new AtomicInteger();
        final AtomicLong outOfOrder = new AtomicLong();

        Counter(int window) {
            this.window = new Semaphore(window);
        }

        /** Waits until this client has read enough to take one more tick. */
        void awaitRoom() throws InterruptedException {
            if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new AssertionError("a reading client fell " + window + " ticks behind for 10 s");
            }
        }

        /** Called with each tick's number, on the generator's loop. */
        void onTick(int n) {
        }

        @Override
        public void onEvent(SioClient client, ByteBuf frame) {
            String head = frame.toString(frame.readerIndex(), Math.min(12, frame.readableBytes()),
                    StandardCharsets.US_ASCII);
            if (head.startsWith("42[\"tick\"")) {
                long n = SioClient.numberAfter(frame, N);
                if (n != ticks.getAndIncrement()) {
                    outOfOrder.incrementAndGet();
                }
                window.release();
                onTick((int) n);
            } else if (head.startsWith("42[\"v\"")) {
                volatiles.incrementAndGet();
            } else if (head.startsWith("42[\"end\"")) {
                ends.incrementAndGet();
            }
        }
    }
}
