package io.hibiki.bench;

import io.hibiki.engine.IoTransport;
import io.hibiki.redis.RedisAdapter;
import io.hibiki.redis.RedisAdapterOptions;
import io.hibiki.socketio.SocketIoOptions;
import io.hibiki.socketio.SocketIoServer;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The Hibiki side of the benchmark: the same three handlers as the Node fixture
 * ({@code hibiki-test-support/node/scripts/bench-node-server.mjs}).
 * Usage: {@code BenchServer --port=N [--redis=redis://127.0.0.1:6379 | --postgres=postgres://user@host/db]
 * [--key=prefix] [--deflate] [--io-threads=N] [--io-transport=AUTO|EPOLL|IO_URING|NIO]
 * [--tls-cert=PEM --tls-key=PEM [--tls-engine=jdk]]}.
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        // This module brings io_uring's native library for --io-transport; Lettuce would warn on every Redis client
        // that it found both native transports. Its connections stay on epoll either way.
        System.setProperty("io.lettuce.core.iouring", "false");
        Args a = new Args(args);
        SocketIoOptions.Builder b = SocketIoServer.builder()
                .engine(e -> e.maxHttpBufferSize(1_000_000).perMessageDeflate(a.has("deflate"))
                        .pingInterval(java.time.Duration.ofMillis(a.getInt("ping-interval", 25_000)))
                        .pingTimeout(java.time.Duration.ofMillis(a.getInt("ping-timeout", 20_000)))
                        .ioThreads(a.getInt("io-threads", 0))
                        .ioTransport(IoTransport.valueOf(a.get("io-transport", "AUTO").toUpperCase(Locale.ROOT))));
        io.hibiki.engine.ServerTls tls = null;
        if (a.has("tls-cert")) {
            java.nio.file.Path cert = java.nio.file.Path.of(a.get("tls-cert", null));
            java.nio.file.Path key = java.nio.file.Path.of(a.get("tls-key", null));
            tls = "jdk".equals(a.get("tls-engine", "auto")) ? io.hibiki.engine.ServerTls.fromPemWithJdkEngine(cert, key)
                    : io.hibiki.engine.ServerTls.fromPem(cert, key);
            io.hibiki.engine.ServerTls chosen = tls;
            b.engine(e -> e.tls(chosen));
        }
        String redis = a.get("redis", null);
        if (redis != null) {
            b.adapter(RedisAdapter.factory(RedisAdapterOptions.of(redis).withKey(a.get("key", "bench"))));
        }
        String postgres = a.get("postgres", null);
        if (postgres != null) {
            java.net.URI u = java.net.URI.create(postgres);
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL("jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + u.getPath());
            ds.setUser(u.getUserInfo() == null ? "postgres" : u.getUserInfo());
            b.adapter(io.hibiki.postgres.PostgresAdapter.factory(io.hibiki.postgres.PostgresAdapterOptions.of(ds)
                    .withChannelPrefix(a.get("key", "bench"))));
        }
        SocketIoServer io = b.build();
        io.onConnection(socket -> {
            socket.on("join", (args1, ack) -> {
                socket.join(args1.getString(0));
                ack.send("ok");
            });
            socket.on("to-room", (args1, ack) -> {
                var body = args1.get(0);
                io.to(body.path("room").asText()).emit("msg", body.get("payload"));
            });
            socket.on("echo", (args1, ack) -> ack.send(args1.get(0)));
        });
        int port = io.listen(new InetSocketAddress("127.0.0.1", a.getInt("port", 0)), null);
        // The orchestrator waits for this line.
        System.out.println("{\"event\":\"listening\",\"port\":" + port
                + (tls != null ? ",\"tls\":\"" + tls.engineName() + "\"" : "") + "}");
        System.out.flush();
        Thread.currentThread().join();
    }
}
