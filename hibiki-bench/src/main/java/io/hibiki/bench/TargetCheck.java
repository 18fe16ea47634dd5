package io.hibiki.bench;

import java.util.List;
import java.util.Map;

/**
 * The benchmark issue's targets, checked against one run's medians: a table that says for each target what Hibiki
 * measured, the limit Node's figure in the same run sets, and whether it holds.
 *
 * <p>The CPU rows also give Hibiki's kernel time alone (total minus user time, medians). When that alone is over the
 * limit, no change in the server's own code can meet it: what is left is the kernel's work for the reads and writes
 * any server must make, which on loopback includes the receiving side's.
 */
final class TargetCheck {

    private final Report report;
    private final Map<String, Map<String, List<Map<String, Object>>>> results;

    TargetCheck(Report report, Map<String, Map<String, List<Map<String, Object>>>> results) {
        this.report = report;
        this.results = results;
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| target | scenario | Hibiki | limit (from Node) | met | Hibiki kernel time alone |\n")
                .append("|---|---|---:|---:|---|---:|\n");
        for (String key : results.keySet()) {
            // At a fixed offered load only: at @max the servers do different amounts of work.
            if (key.matches("fanout-(1000|5000)@\\d+")) {
                cpu(sb, "CPU µs per delivery ≤ ¼ Node's", key, "server_cpu_us_per_delivery",
                        "server_user_cpu_us_per_delivery");
            }
        }
        if (results.containsKey("fanout-1000@50")) {
            row(sb, "p99 ms ≤ ¼ Node's", "fanout-1000@50", report.median("fanout-1000@50", "hibiki", "p99_ms"),
                    report.median("fanout-1000@50", "node", "p99_ms") / 4, "–");
        }
        for (String key : results.keySet()) {
            if (key.startsWith("fanout-") || key.startsWith("polling-") || key.startsWith("cluster-")) {
                double worst = worst(key, "lost");
                if (!Double.isNaN(worst)) {
                    row(sb, "0 lost (every run)", key, worst, 0, "–");
                }
            }
        }
        if (results.containsKey("echo-ack-200")) {
            cpu(sb, "CPU µs per ack ≤ ¼ Node's", "echo-ack-200", "server_cpu_us_per_ack", "server_user_cpu_us_per_ack");
        }
        for (String key : results.keySet()) {
            if (key.startsWith("idle-")) {
                for (String field : List.of("rss_kb_per_connection", "rss_kb_per_connection_steady")) {
                    double node = report.median(key, "node", field);
                    if (!Double.isNaN(node)) {
                        String what = field.endsWith("_steady") ? "RSS KB per connection, steady"
                                : "RSS KB per connection";
                        row(sb, what + " ≤ ⅓ Node's", key, report.median(key, "hibiki", field), node / 3, "–");
                    }
                }
            }
        }
        if (results.containsKey("fanout-deflate-1000@50") && results.containsKey("fanout-1000@50")) {
            row(sb, "deflate-offering clients cost no more (CPU µs per delivery)", "fanout-deflate-1000@50",
                    report.median("fanout-deflate-1000@50", "hibiki", "server_cpu_us_per_delivery"),
                    report.median("fanout-1000@50", "hibiki", "server_cpu_us_per_delivery"), "–");
        }
        return sb.toString();
    }

    private void cpu(StringBuilder sb, String target, String key, String total, String user) {
        double h = report.median(key, "hibiki", total);
        double kernel = h - report.median(key, "hibiki", user);
        row(sb, target, key, h, report.median(key, "node", total) / 4, Report.fmt(kernel));
    }

    private static void row(StringBuilder sb, String target, String key, double hibiki, double limit, String kernel) {
        String met = Double.isNaN(hibiki) || Double.isNaN(limit) ? "–" : hibiki <= limit ? "yes" : "no";
        sb.append("| ").append(target).append(" | ").append(key).append(" | ").append(Report.fmt(hibiki)).append(" | ")
                .append(Report.fmt(limit)).append(" | ").append(met).append(" | ").append(kernel).append(" |\n");
    }

    /** The largest value of a field over Hibiki's runs, or NaN. */
    private double worst(String key, String field) {
        double worst = Double.NaN;
        for (Map<String, Object> r : results.getOrDefault(key, Map.of()).getOrDefault("hibiki", List.of())) {
            if (r.get(field) instanceof Number n) {
                worst = Double.isNaN(worst) ? n.doubleValue() : Math.max(worst, n.doubleValue());
            }
        }
        return worst;
    }
}
