package io.hibiki.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free loopback port, made from the
 * machine's PostgreSQL binaries. Tests can stop and start it (a real database restart) without touching the
 * machine's shared server. It is ended through its own data directory (the PID of the postmaster it started).
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path bin, Path dir, Path data, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = data;
        this.port = port;
    }

    /** Initialises a cluster in a new temporary directory (trust auth, user {@code postgres}) and starts it. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("hibiki-pg-");
        Path data = dir.resolve("data");
        PrivatePostgres pg = new PrivatePostgres(bin, dir, data, freePort());
        try {
            Files.createDirectories(data);
            if (ROOT) {
                // PostgreSQL refuses to run as root: the cluster belongs to the machine's postgres user.
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            run(asOwner(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "-A", "trust", "--no-sync", "-E", "UTF8")));
            pg.boot();
        } catch (IOException | InterruptedException | RuntimeException e) {
            // pg_ctl may have started a server before it gave up waiting: stop it and remove the files.
            try {
                pg.close();
            } catch (IOException | InterruptedException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return pg;
    }

    public int port() {
        return port;
    }

    /** A {@code postgres://} URL for database {@code postgres} as user {@code postgres}. */
    public String url() {
        return "postgres://postgres@127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server (again) on the same port and data; returns once it accepts connections. */
    public void boot() throws IOException, InterruptedException {
        run(asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30",
                "-l", data.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off", "start")));
    }

    /** Stops the server as an administrator's restart does ("fast": running sessions are ended). */
    public void shutDown() throws IOException, InterruptedException {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        // pg_ctl signals the postmaster this object started (by the PID in its own data directory) and waits.
        run(asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                "-t", "30", "stop")));
    }

    /** Whether something accepts connections on the port. */
    public boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        shutDown();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL binaries are needed under /usr/lib/postgresql", e);
        }
    }

    private static List<String> asOwner(List<String> cmd) {
        if (!ROOT) {
            return cmd;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(cmd);
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        BoundedCommand.run(cmd, Duration.ofSeconds(60));
    }
}
