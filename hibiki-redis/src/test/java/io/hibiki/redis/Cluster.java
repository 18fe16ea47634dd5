package io.hibiki.redis;

import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.Closer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Java nodes with the Redis adapter on one key (unique per test, so tests never see each other's traffic), on
 * the shared Redis at 127.0.0.1:6379, plus the clients connected to them; {@link #close()} ends them all.
 * Each node answers "join"(room) with an ack, broadcasts "shout"(room, text) from its event loop as
 * "shouted"(text), sets {@code socket.data.origin} to its name and answers server-side "ping"(text) with
 * {@code <name>:<text>}.
 */
final class Cluster implements AutoCloseable {

    static final String REDIS = "redis://127.0.0.1:6379";
    // Generous: reconnects after killed connections take longer on a loaded two-core machine.
    static final Duration WAIT = Duration.ofSeconds(30);

    final String key = "hibiki-it-" + ClassicWire.randomId();
    private final Closer open = new Closer();

    /** A started node; {@code clientName} names its Redis connections. */
    record Node(String name, SocketIoServer io, int port, String clientName) {
        RedisAdapter adapter() {
            return (RedisAdapter) io.of("/").adapter();
        }
    }

    /** Waits (polling, no sleeps) until {@code condition} holds; fails after {@link #WAIT}. */
    static void waitFor(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(condition);
    }

    RedisAdapterOptions options() {
        return RedisAdapterOptions.of(REDIS).withKey(key).withRequestsTimeout(Duration.ofSeconds(3))
                .withClientName("hibiki-it-" + ClassicWire.randomId());
    }

    Node node(String name) {
        return node(name, options());
    }

    Node node(String name, RedisAdapterOptions options) {
        return node(name, RedisAdapter.factory(options), options.clientName());
    }

    /** A node with the sharded adapter on this cluster's key (as channel prefix). */
    Node shardedNode(String name, ShardedRedisAdapterOptions.SubscriptionMode mode) {
        String clientName = "hibiki-it-" + ClassicWire.randomId();
        return node(name, ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.of(REDIS).withChannelPrefix(key)
                .withSubscriptionMode(mode).withRequestsTimeout(Duration.ofSeconds(3)).withClientName(clientName)),
                clientName);
    }

    Node node(String name, io.hibiki.socketio.adapter.AdapterFactory adapter, String clientName) {
        SocketIoServer io = SocketIoServer.builder().adapter(adapter).build();
        open.add(io);
        configure(io, name);
        int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
        return new Node(name, io, port, clientName);
    }

    /** The handlers every test node has (also used by the node in a separate JVM). */
    static void configure(SocketIoServer io, String name) {
        io.onConnection(socket -> {
            socket.data().put("origin", name);
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
            socket.on("shout", (args, ack) -> {
                io.to(args.getString(0)).emit("shouted", args.getString(1));
                ack.send("shouted");
            });
        });
        io.of("/").onServerSideEmit("ping", args -> List.of(name + ":" + args.get(0).asText()));
    }

    /** Waits until {@code n} nodes subscribe to this key's request channel; on failure, says how many did. */
    void awaitServers(Node node, int n) {
        long[] last = {-1};
        try {
            waitFor(() -> (last[0] = node.io().of("/").adapter().serverCount().get(5, TimeUnit.SECONDS)) == n,
                    n + " servers");
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(n + " servers expected, the adapter last counted " + last[0], e);
        }
    }

    TestClient client(Node node, String... rooms) {
        return client(node.port(), node.name(), rooms);
    }

    TestClient client(int port, String answer, String... rooms) {
        TestClient c = TestClient.connect(port, answer, rooms);
        open.add(c);
        return c;
    }

    /** Something else to close with the cluster (emitters, processes). */
    <T extends AutoCloseable> T closeLater(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public void close() {
        open.close();
    }
}
