package io.hibiki.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report --from}: the table of a saved compare output, with medians per server and their ratio. */
class ReportFromLogTest {

    private static String run(String server, int rss) {
        return "{\"scenario\":\"idle\",\"server\":\"" + server + "\",\"clients\":10,\"open_after_settle\":10,"
                + "\"connects_per_s\":100,\"rss_kb_per_connection\":" + rss + ",\"rss_after_mb\":50,"
                + "\"key\":\"idle-10\"}";
    }

    @Test
    void aSavedRunIsReportedAgainWithMediansAndRatios(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("compare.log");
        Files.writeString(log, String.join("\n", "building…", run("hibiki", 4), run("hibiki", 6), run("hibiki", 100),
                run("node", 16), run("node", 16), run("node", 16), "results in somewhere"));
        Path out = dir.resolve("out");
        Compare.reportFrom(log, out);
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("| idle-10 | rss_kb_per_connection | 6 | 16 | 0.375 |"), table);
        assertFalse(Files.readString(out.resolve("results.json")).contains("building"));
    }

    @Test
    void theTargetsAreCheckedAgainstNodesFiguresOfTheSameRun(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("compare.log");
        Files.writeString(log, String.join("\n",
                "{\"scenario\":\"fanout\",\"server\":\"hibiki\",\"p99_ms\":10,\"lost\":0,"
                        + "\"server_cpu_us_per_delivery\":8,\"server_user_cpu_us_per_delivery\":3,"
                        + "\"key\":\"fanout-1000@50\"}",
                "{\"scenario\":\"fanout\",\"server\":\"hibiki\",\"p99_ms\":10,\"lost\":2,"
                        + "\"server_cpu_us_per_delivery\":8,\"server_user_cpu_us_per_delivery\":3,"
                        + "\"key\":\"fanout-1000@50\"}",
                "{\"scenario\":\"fanout\",\"server\":\"node\",\"p99_ms\":20,\"lost\":0,"
                        + "\"server_cpu_us_per_delivery\":16,\"server_user_cpu_us_per_delivery\":7,"
                        + "\"key\":\"fanout-1000@50\"}",
                "{\"scenario\":\"echo-ack\",\"server\":\"hibiki\",\"server_cpu_us_per_ack\":3,"
                        + "\"server_user_cpu_us_per_ack\":1,\"key\":\"echo-ack-200\"}",
                "{\"scenario\":\"echo-ack\",\"server\":\"node\",\"server_cpu_us_per_ack\":16,"
                        + "\"server_user_cpu_us_per_ack\":8,\"key\":\"echo-ack-200\"}",
                run("hibiki", 6), run("node", 16)));
        Path out = dir.resolve("out");
        Compare.reportFrom(log, out);
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("| CPU µs per delivery ≤ ¼ Node's | fanout-1000@50 | 8 | 4 | no | 5 |"), table);
        assertTrue(table.contains("| p99 ms ≤ ¼ Node's | fanout-1000@50 | 10 | 5 | no | – |"), table);
        assertTrue(table.contains("| 0 lost (every run) | fanout-1000@50 | 2 | 0 | no | – |"),
                "the worst run counts, not the median: " + table);
        assertTrue(table.contains("| CPU µs per ack ≤ ¼ Node's | echo-ack-200 | 3 | 4 | yes | 2 |"), table);
        assertTrue(table.contains("| RSS KB per connection ≤ ⅓ Node's | idle-10 | 6 | 5.33 | no | – |"), table);
    }

    private static String fanout(String server, int rate, double p99) {
        return "{\"scenario\":\"fanout\",\"server\":\"" + server + "\",\"p99_ms\":" + p99
                + ",\"lost\":0,\"key\":\"fanout-1000@" + rate + "\"}";
    }

    @Test
    void theLatencyPlotSpansDecadesFromZeroToSeconds(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("compare.log");
        Files.writeString(log, String.join("\n", fanout("hibiki", 10, 0), fanout("node", 10, 20),
                fanout("hibiki", 200, 30), fanout("node", 200, 13_000)));
        Path out = dir.resolve("out");
        Compare.reportFrom(log, out);
        BufferedImage plot = ImageIO.read(out.resolve("latency-vs-load.png").toFile());
        assertNotNull(plot, "a PNG image");
        assertEquals(800, plot.getWidth());
        assertEquals(500, plot.getHeight());
    }
}
