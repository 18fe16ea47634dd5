package io.hibiki.bench.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.hibiki.socketio.DisconnectReason;
import io.hibiki.socketio.SocketIoServer;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A restart under load: 5 000 WebSocket clients on a server that shuts down (each socket told "server shutting
 * down", each client disconnected), then a new server on the same port, and every client retrying every 50 ms
 * reconnects: a reconnection storm that must be absorbed within a bound.
 */
class ReconnectStormIT {

    private static final int CLIENTS = 5_000;
    private static final long RETRY_MS = 50;
    private static final int MAX_ATTEMPTS = 400;
    private static final Duration BOUND = Duration.ofSeconds(20);

    private final AtomicInteger shuttingDown = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger reconnected = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private final AtomicInteger hellos = new AtomicInteger();
    private volatile boolean retrying;
    private int port;

    private SocketIoServer server(int port) {
        SocketIoServer io = SocketIoServer.builder().build();
        io.onConnection(s -> s.onDisconnect(r -> {
            if (r == DisconnectReason.SERVER_SHUTTING_DOWN) {
                shuttingDown.incrementAndGet();
            }
        }));
        this.port = io.listen(new InetSocketAddress("127.0.0.1", port), null);
        return io;
    }

    private final SioClient.Listener counting = new SioClient.Listener() {
        @Override
        public void onEvent(SioClient client, ByteBuf frame) {
            hellos.incrementAndGet();
        }
    };

    /** When the client's connection closes, it retries every {@link #RETRY_MS} until it is back (bounded). */
    private void reconnectOnClose(LoadGenerator gen, int port, SioClient client) {
        client.channel().closeFuture().addListener(f -> {
            closed.incrementAndGet();
            if (retrying) {
                attempt(gen, port, 1);
            }
        });
    }

    private void attempt(LoadGenerator gen, int port, int n) {
        gen.group().schedule(() -> gen.connect("127.0.0.1", port, false, counting).whenComplete((c, e) -> {
            if (e == null) {
                reconnected.incrementAndGet();
            } else if (n < MAX_ATTEMPTS) {
                attempt(gen, port, n + 1);
            } else {
                gaveUp.incrementAndGet();
            }
        }), RETRY_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void fiveThousandClientsReconnectToARestartedServerOnTheSamePort() throws Exception {
        SocketIoServer first = server(0);
        int port = this.port;
        try (LoadGenerator gen = new LoadGenerator(2)) {
            List<SioClient> clients = gen.connectMany("127.0.0.1", port, CLIENTS, 200, false, () -> counting, 60);
            Awaitility.await().atMost(BOUND).until(() -> first.sockets().size() == CLIENTS);
            clients.forEach(c -> reconnectOnClose(gen, port, c));
            retrying = true;

            first.close();
            assertEquals(CLIENTS, shuttingDown.get(), "every socket was told before close() returned");
            Awaitility.await().atMost(BOUND).until(() -> closed.get() == CLIENTS);

            long t0 = System.nanoTime();
            SocketIoServer second = server(port);
            assertEquals(port, this.port, "the same port, free again");
            try {
                Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
                        .until(() -> reconnected.get() == CLIENTS || gaveUp.get() > 0);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("%d clients reconnected %d ms after the new server bound port %d%n",
                        reconnected.get(), ms, port);
                assertEquals(0, gaveUp.get());
                assertEquals(CLIENTS, reconnected.get());
                assertEquals(CLIENTS, second.sockets().size(), "one socket per client, none left over");
                second.emit("hello");
                Awaitility.await().atMost(BOUND).until(() -> hellos.get() == CLIENTS);
            } finally {
                retrying = false;
                second.close();
            }
        }
    }
}
