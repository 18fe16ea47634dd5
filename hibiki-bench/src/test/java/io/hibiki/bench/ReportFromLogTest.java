package io.hibiki.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
