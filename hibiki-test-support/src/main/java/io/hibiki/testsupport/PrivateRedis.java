package io.hibiki.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own (the machine's {@code redis-server}) on a free loopback port, that a test can
 * stop and start again on the same port (an outage) without touching the machine's shared Redis. It keeps nothing
 * on disk, like the shared one. The test ends only the process it started.
 */
public final class PrivateRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    private PrivateRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port; returns once it accepts connections. */
    public static PrivateRedis start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrivateRedis redis = new PrivateRedis(port, Files.createTempDirectory("hibiki-redis-"));
        redis.boot();
        return redis;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port; returns once it accepts connections. */
    public synchronized void boot() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!accepting()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server did not start on " + port + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
    }

    /** Ends the server at once (SIGKILL): every connection drops, as when Redis crashes. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** Whether something accepts connections on the port. */
    public boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** For diagnostics. */
    public List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("redis.log"));
    }

    /**
     * Runs {@code redis-cli} against this server (an ACL change, a CONFIG SET) and returns its output, trimmed.
     *
     * @param args the command and its arguments
     * @return what redis-cli printed
     * @throws IOException if it fails, exits non-zero or takes over 10 s
     */
    public String cli(String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("redis-cli", "-h", "127.0.0.1",
                "-p", String.valueOf(port())));
        cmd.addAll(java.util.List.of(args));
        return BoundedCommand.run(cmd, java.time.Duration.ofSeconds(10)).trim();
    }
}
