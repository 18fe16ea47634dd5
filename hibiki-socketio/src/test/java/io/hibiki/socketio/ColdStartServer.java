package io.hibiki.socketio;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server of {@link ColdStartIT}, in a JVM of its own so that it starts cold: a 300 ms ping interval (the ping
 * timeout from {@code -Dcoldstart.pingTimeout}), an echo with ack, and counters of what reached the application
 * (middleware runs, connections) and of the classes loaded since {@code listen} returned. Prints
 * {@code {"event":"listening","port":N}}; answers the line {@code stats} on stdin with the counters; ends on EOF.
 */
public final class ColdStartServer {

    private ColdStartServer() {
    }

    public static void main(String[] args) throws Exception {
        AtomicInteger middleware = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        SocketIoServer io = SocketIoServer.builder()
                .engine(e -> e.pingInterval(Duration.ofMillis(300))
                        .pingTimeout(Duration.ofMillis(Integer.getInteger("coldstart.pingTimeout", 200))))
                .build();
        io.of("/").use((socket, next) -> {
            middleware.incrementAndGet();
            next.ok();
        });
        io.onConnection(socket -> {
            connections.incrementAndGet();
            socket.on("echo", (a, ack) -> ack.send(a.get(0)));
        });
        int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
        long classesAtListen = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        System.out.println("{\"event\":\"listening\",\"port\":" + port + "}");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stats")) {
                System.out.println("{\"event\":\"stats\",\"middleware\":" + middleware.get() + ",\"connections\":"
                        + connections.get() + ",\"sessions\":" + io.engine().clientsCount() + ",\"classesLoadedSinceListen\":"
                        + (ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classesAtListen) + "}");
                System.out.flush();
            }
        }
        io.close();
        System.exit(0);
    }
}
