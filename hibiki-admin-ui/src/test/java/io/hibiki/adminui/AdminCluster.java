package io.hibiki.adminui;

import io.hibiki.redis.RedisAdapter;
import io.hibiki.redis.RedisAdapterOptions;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.testsupport.Closer;
import io.hibiki.testsupport.NodeScript;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Servers with the admin UI on one Redis key (unique to the test), Hibiki ones in this JVM and Node ones running
 * {@code instrument()}, plus their clients and admin clients; {@link #close()} ends them all. The admin signs in
 * as {@code admin} with {@link #PASSWORD}.
 */
final class AdminCluster implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PASSWORD = "correct horse battery staple";
    static final String HASH;

    static {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        // bcryptjs (Node's side) reads $2a$/$2b$; cost 4 keeps the test fast, production hashes use 10 or more.
        HASH = OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), salt, 4);
    }

    final String key = "hibiki-admin-" + ClusterWire.randomId();
    private final Closer open = new Closer();
    private final List<SocketIoServer> servers = new ArrayList<>();

    /** The first Hibiki server started: for cluster-wide questions (fetchSockets goes to every server). */
    SocketIoServer anyServer() {
        return servers.get(0);
    }

    @Override
    public void close() {
        open.close();
    }

    static void waitFor(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(condition);
    }

    /** A Hibiki server on this test's Redis key with the admin UI ({@code serverId}) and its files. */
    int javaServer(String serverId) {
        return javaServer(AdminUiOptions.basicAuth("admin", HASH).withServerId(serverId));
    }

    /** A Hibiki server as above, with these admin UI options. */
    int javaServer(AdminUiOptions options) {
        SocketIoServer io = SocketIoServer.builder()
                .adapter(RedisAdapter.factory(RedisAdapterOptions.of("redis://127.0.0.1:6379").withKey(key)
                        .withRequestsTimeout(Duration.ofSeconds(3))))
                .build();
        open.add(io);
        io.onConnection(socket -> socket.on("join", (args, ack) -> {
            socket.join(args.getString(0));
            ack.send("joined");
        }));
        open.add(AdminUi.instrument(io, options));
        servers.add(io);
        return io.listen(new InetSocketAddress("127.0.0.1", 0), AdminUiFiles.at("/admin-ui"));
    }

    int nodeServer(String serverId) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NodeScript node = later(NodeScript.start("admin-node-server.mjs", "--port=" + port, "--key=" + key,
                "--hash=" + HASH, "--server-id=" + serverId));
        node.await("listening", WAIT);
        return port;
    }

    NodeScript client(int port, String... rooms) {
        NodeScript c = later(NodeScript.start("sio-listener.mjs", "--url=http://127.0.0.1:" + port,
                "--rooms=" + String.join(",", rooms), "--answer=x"));
        c.await("ready", WAIT);
        return c;
    }

    NodeScript admin(int port, String... auth) {
        String[] args = new String[auth.length + 1];
        args[0] = "--url=http://127.0.0.1:" + port + "/admin";
        System.arraycopy(auth, 0, args, 1, auth.length);
        return later(NodeScript.start("admin-ui-client.mjs", args));
    }

    <T extends AutoCloseable> T later(T resource) {
        open.add(resource);
        return resource;
    }

}
