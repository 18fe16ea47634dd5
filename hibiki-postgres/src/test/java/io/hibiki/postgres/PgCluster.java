package io.hibiki.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.adapter.cluster.HeartbeatSettings;
import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.testsupport.Closer;
import io.hibiki.testsupport.NodeScript;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Java and Node nodes with the PostgreSQL adapter on the machine's PostgreSQL (127.0.0.1:5432, trust auth),
 * database {@value #DATABASE}, on a channel prefix unique to the test (so tests never hear each other), plus
 * Node clients ({@code sio-listener.mjs}) connected to them; {@link #close()} ends them all. Java nodes answer
 * "join"(room) with an ack, set {@code socket.data.origin} to their name, and answer server-side "node-says" and
 * "java-says" with {@code <name>:<text>}.
 */
final class PgCluster implements AutoCloseable {

    static final String DATABASE = "hibiki_pg_adapter_it";
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Quicker than Node's 5 s / 10 s, so a vanished peer is noticed within a test's patience. */
    static final HeartbeatSettings QUICK = new HeartbeatSettings(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(5));

    final String prefix = "it" + ClusterWire.randomId().substring(0, 10);
    private final Closer open = new Closer();

    /** A started Java node; {@code application} names its database connections. */
    record Node(String name, SocketIoServer io, int port, String application) {
        PostgresAdapter adapter() {
            return (PostgresAdapter) io.of("/").adapter();
        }
    }

    static {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void waitFor(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(condition);
    }

    static PGSimpleDataSource dataSource(String application) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(JDBC);
        ds.setUser("postgres");
        ds.setApplicationName(application);
        return ds;
    }

    PostgresAdapterOptions options(String application) {
        return PostgresAdapterOptions.of(dataSource(application)).withChannelPrefix(prefix).withHeartbeat(QUICK);
    }

    Node javaNode(String name) {
        String application = prefix + "-" + name;
        return javaNode(name, options(application));
    }

    Node javaNode(String name, PostgresAdapterOptions options) {
        return javaNode(name, options, ServerObserver.NONE);
    }

    Node javaNode(String name, PostgresAdapterOptions options, ServerObserver observer) {
        SocketIoServer io = SocketIoServer.builder().adapter(PostgresAdapter.factory(options)).observer(observer)
                .build();
        open.add(io);
        io.onConnection(socket -> {
            socket.data().put("origin", name);
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
        });
        io.of("/").onServerSideEmit("node-says", args -> List.of(name + ":" + args.get(0).asText()));
        io.of("/").onServerSideEmit("java-says", args -> List.of(name + ":" + args.get(0).asText()));
        int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
        String application = options.dataSource() instanceof PGSimpleDataSource ds ? ds.getApplicationName() : name;
        return new Node(name, io, port, application);
    }

    /** A Node server with @socket.io/postgres-adapter on this prefix; returns once it listens. */
    NodeScript nodeNode() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NodeScript node = closeLater(NodeScript.start("postgres-node-server.mjs", "--port=" + port,
                "--db=postgres://postgres@127.0.0.1:5432/" + DATABASE, "--prefix=" + prefix));
        node.await("listening", WAIT);
        return node;
    }

    static int port(NodeScript nodeServer) {
        return nodeServer.await("listening", WAIT).get("port").asInt();
    }

    /** A Node client of the server on {@code port}, in {@code rooms}, answering "ask" with {@code answer:<v>}. */
    NodeScript client(int port, String answer, String... rooms) {
        NodeScript c = closeLater(NodeScript.start("sio-listener.mjs", "--url=http://127.0.0.1:" + port,
                "--rooms=" + String.join(",", rooms), "--answer=" + answer));
        c.await("ready", WAIT);
        return c;
    }

    static String id(NodeScript client) {
        return client.await("ready", WAIT).get("id").asText();
    }

    /** Waits for an event a client received. */
    static JsonNode received(NodeScript client, String event) {
        return client.await(e -> "received".equals(e.path("event").asText()) && event.equals(e.path("name").asText()),
                WAIT);
    }

    /** Whether a client has received an event so far. */
    static boolean hasReceived(NodeScript client, String event) {
        return client.events().stream().anyMatch(e -> "received".equals(e.path("event").asText())
                && event.equals(e.path("name").asText()));
    }

    /** Waits until every node counts {@code n} servers (Java nodes through their adapter, Node ones by command). */
    static void awaitServers(int n, List<Node> java, List<NodeScript> node) {
        for (Node j : java) {
            waitFor(() -> j.io().of("/").adapter().serverCount().get(5, TimeUnit.SECONDS) == n,
                    n + " servers at " + j.name());
        }
        for (NodeScript s : node) {
            waitFor(() -> count(s) == n, n + " servers at the Node node");
        }
    }

    /** Asks a Node node for its server count and waits for the answer. */
    static int count(NodeScript s) {
        int before = counts(s).size();
        s.send("{\"cmd\":\"count\"}");
        waitFor(() -> counts(s).size() > before, "a count from the Node node");
        List<JsonNode> all = counts(s);
        return all.get(all.size() - 1).get("count").asInt();
    }

    private static List<JsonNode> counts(NodeScript s) {
        return s.events().stream().filter(e -> "count".equals(e.path("event").asText())).toList();
    }

    /** Ends the database sessions of an application name (a network fault, as PostgreSQL sees it). */
    static int terminate(String application) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", "");
             Statement st = c.createStatement()) {
            var r = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = '" + application + "'");
            r.next();
            return r.getInt(1);
        }
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public void close() {
        open.close();
    }
}
