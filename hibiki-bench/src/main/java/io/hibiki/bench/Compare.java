package io.hibiki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.scenario.CompressedMemory;
import io.hibiki.bench.scenario.EchoAck;
import io.hibiki.bench.scenario.FanOut;
import io.hibiki.bench.scenario.Idle;
import io.hibiki.bench.scenario.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every scenario against Hibiki and against Node socket.io 4.8, back to back on this machine, and prints
 * the medians side by side with the Hibiki/Node ratio. Each scenario gets fresh server processes.
 */
public final class Compare {

    /** One measured situation. */
    /** One scenario; {@code link} is what joins a cluster's two instances: {@code redis} or {@code postgres}. */
    record Spec(String key, String kind, int clients, int rate, boolean deflate, boolean cluster, boolean polling,
                String link) {
        Spec(String key, String kind, int clients, int rate, boolean deflate, boolean cluster) {
            this(key, kind, clients, rate, deflate, cluster, false, "redis");
        }

        Spec(String key, String kind, int clients, int rate, boolean deflate, boolean cluster, boolean polling) {
            this(key, kind, clients, rate, deflate, cluster, polling, "redis");
        }
    }

    /** The database the PostgreSQL-linked clusters use (created when missing; trust auth on loopback). */
    static final String BENCH_DATABASE = "hibiki_bench";

    private final Args args;
    private final Path nodeDir;
    private final int runs;
    private final int warmup;
    private final int measure;
    private final int idleSteady;
    private final Map<String, Map<String, List<Map<String, Object>>>> results = new LinkedHashMap<>();

    Compare(Args args) {
        this.args = args;
        this.nodeDir = Path.of(args.get("node-dir", "hibiki-test-support/node")).toAbsolutePath().normalize();
        boolean quick = args.has("quick");
        this.runs = args.getInt("runs", quick ? 1 : 3);
        this.warmup = args.getInt("warmup", quick ? 1 : 10);
        this.measure = args.getInt("measure", quick ? 1 : 5);
        this.idleSteady = args.getInt("idle-steady", quick ? 0 : 30);
    }

    List<Spec> specs() {
        List<Spec> s = args.has("quick") ? quickSpecs() : fullSpecs();
        String only = args.get("only", null);
        if (only != null) {
            s.removeIf(spec -> !spec.key().matches(only));
        }
        return s;
    }

    private List<Spec> quickSpecs() {
        return new ArrayList<>(List.of(
                    new Spec("fanout-20@50", "fanout", 20, 50, false, false),
                    new Spec("fanout-20@max", "fanout", 20, 0, false, false),
                    new Spec("fanout-deflate-20@50", "fanout", 20, 50, true, false),
                    new Spec("echo-ack-5", "echo", 5, 0, false, false),
                    new Spec("idle-50", "idle", 50, 0, false, false),
                    new Spec("deflate-on-memory-20", "deflate-memory", 20, 0, true, false),
                    new Spec("polling-fanout-20@20", "fanout", 20, 20, false, false, true),
                    new Spec("cluster-fanout-20@50", "fanout", 20, 50, false, true)));
    }

    private List<Spec> fullSpecs() {
        int idleMax = args.getInt("idle-max", 0);
        List<Spec> s = new ArrayList<>(List.of(
                new Spec("fanout-100@50", "fanout", 100, 50, false, false),
                new Spec("fanout-1000@10", "fanout", 1000, 10, false, false),
                new Spec("fanout-1000@50", "fanout", 1000, 50, false, false),
                new Spec("fanout-1000@100", "fanout", 1000, 100, false, false),
                new Spec("fanout-1000@200", "fanout", 1000, 200, false, false),
                new Spec("fanout-1000@max", "fanout", 1000, 0, false, false),
                new Spec("fanout-5000@20", "fanout", 5000, 20, false, false),
                new Spec("fanout-deflate-1000@50", "fanout", 1000, 50, true, false),
                new Spec("echo-ack-200", "echo", 200, 0, false, false),
                new Spec("idle-10000", "idle", 10000, 0, false, false),
                new Spec("deflate-on-memory-1000", "deflate-memory", 1000, 0, true, false),
                new Spec("polling-fanout-1000@10", "fanout", 1000, 10, false, false, true),
                new Spec("cluster-fanout-1000@50", "fanout", 1000, 50, false, true),
                new Spec("pg-cluster-fanout-1000@50", "fanout", 1000, 50, false, true, false, "postgres")));
        if (idleMax > 0) {
            s.add(new Spec("idle-" + idleMax, "idle", idleMax, 0, false, false));
        }
        return s;
    }

    void run() throws Exception {
        try (LoadGenerator gen = new LoadGenerator(1)) {
            for (Spec spec : specs()) {
                for (String server : List.of(args.get("servers", "hibiki,node").split(","))) {
                    for (int i = 0; i < runs; i++) {
                        Map<String, Object> r = runOnce(gen, spec, server);
                        r.put("key", spec.key());
                        System.out.println(new ObjectMapper().writeValueAsString(r));
                        results.computeIfAbsent(spec.key(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(server, k -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        writeReport(results, Path.of(args.get("out", "hibiki-bench/target/bench")));
    }

    /**
     * Re-renders the table, results.json and the plot from the JSON lines a {@code compare} run printed (its
     * console output saved to a file), e.g. to redo the report of a long run without running it again.
     */
    static void reportFrom(Path log, Path out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, List<Map<String, Object>>>> results = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("{\"scenario\"")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = json.readValue(line, Map.class);
            results.computeIfAbsent(String.valueOf(r.get("key")), k -> new LinkedHashMap<>())
                    .computeIfAbsent(String.valueOf(r.get("server")), k -> new ArrayList<>()).add(r);
        }
        writeReport(results, out);
    }

    private static void writeReport(Map<String, Map<String, List<Map<String, Object>>>> results, Path out)
            throws Exception {
        Report report = new Report(results);
        String table = report.table() + "\nThe benchmark issue's targets, checked against these medians:\n\n"
                + new TargetCheck(report, results).table();
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(results));
        Files.writeString(out.resolve("table.md"), table);
        report.plot(out.resolve("latency-vs-load.png"));
        System.out.println("results in " + out.toAbsolutePath());
    }

    private Map<String, Object> runOnce(LoadGenerator gen, Spec spec, String server) throws Exception {
        String key = "bench-" + Long.toHexString(System.nanoTime());
        List<String> extra = new ArrayList<>();
        if (spec.cluster() && spec.link().equals("postgres")) {
            ensureBenchDatabase();
            extra.addAll(List.of("--postgres=postgres://postgres@127.0.0.1:5432/" + BENCH_DATABASE, "--key=" + key));
        } else if (spec.cluster()) {
            extra.addAll(List.of("--redis=redis://127.0.0.1:6379", "--key=" + key));
        }
        if (spec.kind().equals("deflate-memory")) {
            // The only scenario where the servers turn compression on (both keep it off by default).
            extra.add("--deflate");
        }
        int instances = spec.cluster() ? 2 : 1;
        List<ServerProcess> procs = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                if (server.equals("hibiki")) {
                    List<String> hibikiArgs = new ArrayList<>(extra);
                    if (args.has("hibiki-io-transport")) {
                        hibikiArgs.add("--io-transport=" + args.get("hibiki-io-transport", "AUTO"));
                    }
                    if (args.has("hibiki-io-threads")) {
                        hibikiArgs.add("--io-threads=" + args.getInt("hibiki-io-threads", 0));
                    }
                    String jvm = args.get("hibiki-jvm", "").trim();
                    if (args.has("hibiki-launcher")) {
                        procs.add(ServerProcess.hibikiViaLauncher(Path.of(args.get("hibiki-launcher", null)),
                                hibikiArgs));
                    } else {
                        procs.add(ServerProcess.hibiki(
                                !args.get("hibiki-jvm-profile", "distribution").equals("defaults"),
                                jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+")), hibikiArgs));
                    }
                } else {
                    procs.add(ServerProcess.node(nodeDir, extra));
                }
            }
            Target target = new Target(server, "127.0.0.1", procs.stream().map(ServerProcess::port).toList(),
                    procs.stream().map(ServerProcess::pid).toList());
            if (spec.cluster()) {
                // Give both adapters time to subscribe before the sender starts.
                Thread.sleep(1000);
            }
            Map<String, Object> r = switch (spec.kind()) {
                case "fanout" -> FanOut.run(gen, target, spec.clients(), spec.rate(), warmup, measure, spec.deflate(),
                        spec.polling());
                case "echo" -> EchoAck.run(gen, target, spec.clients(), warmup, measure);
                case "idle" -> Idle.run(gen, target, spec.clients(), idleSteady);
                case "deflate-memory" -> CompressedMemory.run(gen, target, spec.clients());
                default -> throw new IllegalArgumentException(spec.kind());
            };
            r.put("instances", instances);
            return r;
        } finally {
            for (ServerProcess p : procs) {
                p.close();
            }
        }
    }

    private static void ensureBenchDatabase() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             java.sql.Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + BENCH_DATABASE + "'").next()) {
                st.execute("CREATE DATABASE " + BENCH_DATABASE);
            }
        }
    }

    Map<String, Map<String, List<Map<String, Object>>>> results() {
        return results;
    }
}
