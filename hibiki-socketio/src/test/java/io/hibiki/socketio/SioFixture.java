package io.hibiki.socketio;

import io.hibiki.testsupport.NodeScript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * One test's server on a loopback port (port 0), and the Node clients started against it; closing the fixture
 * ends the clients, then the server.
 */
final class SioFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final SocketIoServer io;
    final int port;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private Map<String, String> nodeEnv = Map.of();

    private SioFixture(SocketIoServer io) {
        this.io = io;
        this.port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    static SioFixture start() {
        return start(b -> { });
    }

    static SioFixture start(Consumer<SocketIoOptions.Builder> options) {
        SocketIoOptions.Builder b = SocketIoServer.builder();
        options.accept(b);
        return new SioFixture(b.build());
    }

    /** {@code https://…} when the server listens with TLS. */
    String url() {
        return (io.engine().options().tls() != null ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** Environment variables for the Node scripts started from now on ({@code NODE_EXTRA_CA_CERTS}, say). */
    SioFixture nodeEnv(Map<String, String> env) {
        this.nodeEnv = Map.copyOf(env);
        return this;
    }

    /** Starts {@code sio-puppet.mjs} against this server; see the script's header for the arguments. */
    Puppet puppet(String... args) {
        return new Puppet(script("sio-puppet.mjs", args));
    }

    /** Starts any Node script with {@code --url} pointing at this server. */
    NodeScript script(String name, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--url=" + url();
        System.arraycopy(args, 0, all, 1, args.length);
        NodeScript s = NodeScript.start(nodeEnv, name, all);
        clients.add(s);
        return s;
    }

    /** Registers something else (a Java client) to close with the fixture. */
    <T extends AutoCloseable> T closeLater(T resource) {
        clients.add(resource);
        return resource;
    }

    /** Waits until {@code assertion} passes; on timeout fails with its last error and {@code context}. */
    static void eventually(ThrowingRunnable assertion, Object context) {
        try {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + context, e);
        }
    }

    @Override
    public void close() {
        for (int i = clients.size() - 1; i >= 0; i--) {
            try {
                clients.get(i).close();
            } catch (Exception ignored) {
                // Best effort: the server still closes.
            }
        }
        io.close();
    }
}
