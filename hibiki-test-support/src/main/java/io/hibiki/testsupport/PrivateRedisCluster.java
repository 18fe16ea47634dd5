package io.hibiki.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis Cluster of the test's own: three primaries (no replicas) made from the machine's {@code redis-server},
 * on free loopback ports, in a temporary directory, joined with {@code redis-cli --cluster create}. Each node is
 * a child process of this JVM and is ended through its own handle.
 */
public final class PrivateRedisCluster implements AutoCloseable {

    private static final int NODES = 3;
    /** Redis Cluster's bus port is the client port plus this; both must be free. */
    private static final int BUS_OFFSET = 10000;

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> nodes = new ArrayList<>();

    private PrivateRedisCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts the nodes and forms the cluster; returns once every node reports {@code cluster_state:ok}. */
    public static PrivateRedisCluster start() throws IOException, InterruptedException {
        PrivateRedisCluster cluster = new PrivateRedisCluster(Files.createTempDirectory("hibiki-redis-cluster-"));
        try {
            cluster.boot();
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return cluster;
    }

    private void boot() throws IOException, InterruptedException {
        for (int i = 0; i < NODES; i++) {
            int port = freePortWithFreeBus();
            ports.add(port);
            nodes.add(launch(port));
        }
        for (int port : ports) {
            awaitCli(port, List.of("ping"), "PONG");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        run(create);
        for (int port : ports) {
            awaitCli(port, List.of("cluster", "info"), "cluster_state:ok");
        }
    }

    private Process launch(int port) throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
        // The node keeps its identity and slots in nodes.conf, so a restarted node rejoins as the same primary.
        return new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                "--cluster-node-timeout", "2000", "--dir", nodeDir.toString(), "--save", "",
                "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("redis.log").toFile())).start();
    }

    /** Kills one node (its own process, as a crash would) and waits until it is gone. */
    public void kill(int port) throws InterruptedException {
        Process p = nodes.get(ports.indexOf(port));
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts a killed node again on its port; returns once every node reports {@code cluster_state:ok}. */
    public void restart(int port) throws IOException, InterruptedException {
        nodes.set(ports.indexOf(port), launch(port));
        for (int p : ports) {
            awaitCli(p, List.of("cluster", "info"), "cluster_state:ok");
        }
    }

    /** The port of the primary that serves a hash slot, from the cluster's own slot table. */
    public int ownerOfSlot(int slot) throws IOException, InterruptedException {
        // redis-cli prints CLUSTER SLOTS one value per line: start, end, then the primary's ip and port, ...
        String[] lines = cli(ports.get(0), "cluster", "slots").split("\n");
        for (int i = 0; i + 3 < lines.length; i++) {
            try {
                int start = Integer.parseInt(lines[i].trim());
                int end = Integer.parseInt(lines[i + 1].trim());
                if (start <= slot && slot <= end && lines[i + 2].trim().equals("127.0.0.1")) {
                    return Integer.parseInt(lines[i + 3].trim());
                }
            } catch (NumberFormatException notARange) {
                // not the start of a range: keep scanning
            }
        }
        throw new IOException("no primary serves slot " + slot);
    }

    /**
     * Moves an empty hash slot to the primary on {@code toPort}, as resharding does (IMPORTING, MIGRATING, then
     * NODE on every primary), and waits until the cluster's slot table says so.
     */
    public void moveSlot(int slot, int toPort) throws IOException, InterruptedException {
        int fromPort = ownerOfSlot(slot);
        String from = cli(fromPort, "cluster", "myid").trim();
        String to = cli(toPort, "cluster", "myid").trim();
        String s = String.valueOf(slot);
        cli(toPort, "cluster", "setslot", s, "importing", from);
        cli(fromPort, "cluster", "setslot", s, "migrating", to);
        for (int port : ports) {
            cli(port, "cluster", "setslot", s, "node", to);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ownerOfSlot(slot) != toPort) {
            if (System.nanoTime() > deadline) {
                throw new IOException("slot " + slot + " did not move to " + toPort);
            }
            Thread.sleep(100);
        }
    }

    /** The client ports of the nodes. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** A {@code redis-cluster://} URI naming every node as a seed. */
    public String uri() {
        StringBuilder b = new StringBuilder("redis-cluster://");
        for (int i = 0; i < ports.size(); i++) {
            b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
        }
        return b.toString();
    }

    /** The nodes as {@code host:port} strings, as Node's {@code createCluster({rootNodes})} takes them. */
    public List<String> nodeAddresses() {
        return ports.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** Runs {@code redis-cli} against one node and returns its output. */
    public String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Stops every node this object started and deletes the directory. */
    @Override
    public void close() {
        for (Process p : nodes) {
            p.destroy();
        }
        for (Process p : nodes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    private void awaitCli(int port, List<String> args, String expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = cli(port, args.toArray(String[]::new));
                if (last.contains(expected)) {
                    return;
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new IOException("redis node " + port + " never answered " + expected + " to " + args + ": " + last);
    }

    private static int freePortWithFreeBus() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (port + BUS_OFFSET > 65535) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + BUS_OFFSET, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException busTaken) {
                // try another
            }
        }
        throw new IOException("no free port pair (port, port + " + BUS_OFFSET + ") on loopback");
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        return BoundedCommand.run(cmd, Duration.ofSeconds(30));
    }
}
