package io.hibiki.redis;

import io.hibiki.socketio.SocketIoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Java node in a JVM of its own: {@link #main} runs it (configured like {@link Cluster}'s nodes), and
 * {@link #start} launches it from a test with the test's classpath. It prints {@code port <n>} once listening
 * and takes commands on stdin: {@code emit <room> <event> <text>}. It stops at the end of its input.
 */
final class JvmNode implements AutoCloseable {

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final StringBuffer output = new StringBuffer();

    private JvmNode(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("port ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new AssertionError("node process ended:\n" + output));
        }, "jvm-node-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a node on Redis {@code uri} with channel prefix {@code key}. */
    static JvmNode start(String uri, String key) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), JvmNode.class.getName(), uri, key));
        pb.redirectErrorStream(true);
        return new JvmNode(pb.start());
    }

    /** The port it listens on, once it does. */
    int port() throws Exception {
        return port.get(30, TimeUnit.SECONDS);
    }

    void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Ends the process this test started, by its own handle. */
    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    public static void main(String[] args) throws IOException {
        RedisAdapterOptions options = RedisAdapterOptions.of(args[0]).withKey(args[1]);
        try (SocketIoServer io = SocketIoServer.builder().adapter(RedisAdapter.factory(options)).build()) {
            Cluster.configure(io, "jvm");
            int port = io.listen(new InetSocketAddress("127.0.0.1", 0), null);
            System.out.println("port " + port);
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = stdin.readLine()) != null) {
                String[] c = line.split(" ", 4);
                if (c[0].equals("emit") && c.length == 4) {
                    io.to(c[1]).emit(c[2], c[3]);
                }
            }
        }
        System.exit(0);
    }
}
