package io.hibiki.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/** Medians per figure, the Hibiki/Node table, and a plot of p99 latency against offered load. */
final class Report {

    private static final Map<String, List<String>> FIGURES = Map.of(
            "fanout", List.of("delivered_per_s", "lost", "p50_ms", "p99_ms", "p999_ms", "max_ms",
                    "server_cpu_us_per_delivery", "server_user_cpu_us_per_delivery", "server_cpu_percent",
                    "generator_cpu_percent"),
            "echo-ack", List.of("acks_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_ack", "server_user_cpu_us_per_ack",
                    "server_cpu_percent", "generator_cpu_percent"),
            "idle", List.of("open_after_settle", "connects_per_s", "rss_kb_per_connection",
                    "rss_kb_per_connection_marginal", "open_after_steady", "rss_kb_per_connection_steady",
                    "rss_after_mb", "rss_steady_mb"),
            "compressed-memory", List.of("lost", "rss_kb_per_connection", "rss_after_mb"));

    private final Map<String, Map<String, List<Map<String, Object>>>> results;

    Report(Map<String, Map<String, List<Map<String, Object>>>> results) {
        this.results = results;
    }

    /** The median of a numeric field over runs, or NaN. */
    double median(String key, String server, String field) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> r : results.getOrDefault(key, Map.of()).getOrDefault(server, List.of())) {
            if (r.get(field) instanceof Number n && !Double.isNaN(n.doubleValue())) {
                values.add(n.doubleValue());
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(Double::compare);
        int m = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(m) : (values.get(m - 1) + values.get(m)) / 2;
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | figure | Hibiki | Node | Hibiki/Node |\n|---|---|---:|---:|---:|\n");
        for (var e : results.entrySet()) {
            String key = e.getKey();
            String kind = e.getValue().values().iterator().next().get(0).get("scenario").toString();
            for (String field : FIGURES.getOrDefault(kind, List.of())) {
                double h = median(key, "hibiki", field);
                double n = median(key, "node", field);
                String ratio = Double.isNaN(h) || Double.isNaN(n) || n == 0 ? "–" : fmt(h / n);
                sb.append("| ").append(key).append(" | ").append(field).append(" | ").append(fmt(h)).append(" | ")
                        .append(fmt(n)).append(" | ").append(ratio).append(" |\n");
            }
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** p99 latency against offered deliveries/s for the 1 000-client fan-out runs. */
    void plot(Path file) throws java.io.IOException {
        Map<String, TreeMap<Double, Double>> series = new TreeMap<>();
        for (String key : results.keySet()) {
            if (!key.matches("fanout-1000@\\d+")) {
                continue;
            }
            double offered = 1000.0 * Integer.parseInt(key.substring(key.indexOf('@') + 1));
            for (String server : List.of("hibiki", "node")) {
                double p99 = median(key, server, "p99_ms");
                if (!Double.isNaN(p99)) {
                    series.computeIfAbsent(server, s -> new TreeMap<>()).put(offered, p99);
                }
            }
        }
        int w = 800;
        int h = 500;
        int left = 80;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString("p99 end-to-end latency vs offered load (1 000 clients in one room, same machine)", left, 25);
        double maxX = series.values().stream().flatMap(s -> s.keySet().stream()).mapToDouble(d -> d).max().orElse(1);
        double maxY = series.values().stream().flatMap(s -> s.values().stream()).mapToDouble(d -> d).max().orElse(1);
        double minY = series.values().stream().flatMap(s -> s.values().stream()).mapToDouble(d -> d).min().orElse(1);
        // A log scale: p99s run from milliseconds to seconds once Node saturates, and both ends matter.
        int lowDecade = (int) Math.floor(Math.log10(Math.max(minY, 0.1)));
        int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(Math.max(maxY, 1))));
        int pw = w - left - 40;
        int ph = h - bottom - 50;
        g.drawLine(left, h - bottom, left + pw, h - bottom);
        g.drawLine(left, h - bottom, left, h - bottom - ph);
        for (int i = 0; i <= 5; i++) {
            double xv = maxX * i / 5;
            int x = left + pw * i / 5;
            g.drawString(String.format(Locale.ROOT, "%,.0f", xv), x - 20, h - bottom + 20);
        }
        for (int d = lowDecade; d <= highDecade; d++) {
            int y = h - bottom - ph * (d - lowDecade) / (highDecade - lowDecade);
            g.drawString(String.format(Locale.ROOT, "%,.0f", Math.pow(10, d)).replace(",", " "), left - 55, y + 5);
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left + 1, y, left + pw, y);
            g.setColor(Color.BLACK);
        }
        g.drawString("offered deliveries per second", left + pw / 2 - 90, h - 15);
        g.drawString("ms (log)", 10, h - bottom - ph - 20);
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728)};
        int c = 0;
        for (var s : series.entrySet()) {
            g.setColor(colors[c % 2]);
            g.setStroke(new BasicStroke(2.5f));
            int px = -1;
            int py = -1;
            for (var p : s.getValue().entrySet()) {
                int x = left + (int) (pw * p.getKey() / maxX);
                double decades = Math.log10(Math.max(p.getValue(), Math.pow(10, lowDecade))) - lowDecade;
                int y = h - bottom - (int) (ph * decades / (highDecade - lowDecade));
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(s.getKey(), left + 20, 50 + 20 * c);
            c++;
        }
        g.dispose();
        if (!series.isEmpty()) {
            ImageIO.write(img, "png", file.toFile());
        }
    }
}
