package io.hibiki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.scenario.FanOut;
import io.hibiki.bench.scenario.Target;
import io.hibiki.testsupport.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Room fan-out over plain WebSocket and over {@code wss://}, in one run, on the same machine: Hibiki with its native
 * TLS engine (BoringSSL) and with the JDK's, and Node's socket.io on {@code node:http} and {@code node:https}. The
 * certificate comes from a throwaway CA made for the run. The generator's clients (one process, Netty) also pay for
 * TLS, so both servers are measured against the same client cost.
 *
 * <p>Usage: {@code tls-fanout [--clients=1000] [--rates=50,max] [--warmup=10] [--measure=5] [--node-dir=DIR]
 * [--quick]}.
 */
public final class TlsFanOut {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TlsFanOut() {
    }

    private record Setup(String label, String server, boolean tls, String engine) {
    }

    public static void main(String[] argv) throws Exception {
        List<Map<String, Object>> rows = run(new Args(argv));
        System.out.println();
        System.out.printf("%-26s %-24s %6s %12s %8s %8s %14s%n", "setup", "TLS engine", "rate", "delivered/s",
                "p50 ms", "p99 ms", "CPU us/deliv");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-26s %-24s %6s %12s %8s %8s %14s%n", r.get("setup"), r.get("tls_engine"),
                    r.get("rate"), r.get("delivered_per_s"), r.get("p50_ms"), r.get("p99_ms"),
                    r.get("server_cpu_us_per_delivery"));
        }
    }

    /** Every setup at every rate; one row each, also printed as a JSON line as it completes. */
    static List<Map<String, Object>> run(Args a) throws Exception {
        boolean quick = a.has("quick");
        int clients = a.getInt("clients", quick ? 20 : 1000);
        int warmup = a.getInt("warmup", quick ? 1 : 10);
        int measure = a.getInt("measure", quick ? 1 : 5);
        List<String> rates = List.of(a.get("rates", quick ? "50" : "50,max").split(","));
        Path nodeDir = Path.of(a.get("node-dir", "hibiki-test-support/node")).toAbsolutePath().normalize();

        Path dir = Files.createTempDirectory("hibiki-tls-bench");
        TestCertificates ca = TestCertificates.newAuthority("Hibiki bench CA");
        TestCertificates.Issued cert = ca.issueServer(dir, "bench");
        SslContext clientTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(ca.certificate()).protocols("TLSv1.3").build();
        List<String> tlsArgs = List.of("--tls-cert=" + cert.chainFile(), "--tls-key=" + cert.keyFile());

        List<Setup> setups = List.of(
                new Setup("hibiki plain", "hibiki", false, "-"),
                new Setup("hibiki tls", "hibiki", true, "auto"),
                new Setup("hibiki tls (JDK engine)", "hibiki", true, "jdk"),
                new Setup("node plain", "node", false, "-"),
                new Setup("node tls", "node", true, "node:https"));
        List<Map<String, Object>> rows = new ArrayList<>();
        try (LoadGenerator gen = new LoadGenerator(1)) {
            for (String rateText : rates) {
                int rate = rateText.equals("max") ? 0 : Integer.parseInt(rateText);
                for (Setup s : setups) {
                    List<String> extra = new ArrayList<>(s.tls() ? tlsArgs : List.of());
                    if (s.engine().equals("jdk")) {
                        extra.add("--tls-engine=jdk");
                    }
                    try (ServerProcess p = s.server().equals("hibiki") ? ServerProcess.hibiki(List.of(), extra)
                            : ServerProcess.node(nodeDir, extra)) {
                        gen.tls(s.tls() ? clientTls : null);
                        Target target = new Target(s.server(), "127.0.0.1", List.of(p.port()), List.of(p.pid()));
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("setup", s.label());
                        r.put("tls_engine", s.tls() ? p.listeningField("tls", s.engine()) : "-");
                        r.putAll(FanOut.run(gen, target, clients, rate, warmup, measure, false));
                        r.put("scenario", "tls-fanout");
                        System.out.println(JSON.writeValueAsString(r));
                        rows.add(r);
                    }
                }
            }
        }
        return rows;
    }
}
