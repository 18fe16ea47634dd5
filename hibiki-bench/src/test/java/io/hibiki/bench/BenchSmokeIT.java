package io.hibiki.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.NodeScript;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark scenario at tiny size against both servers, so the comparison cannot rot. Figures are not
 * judged here (that is what the benchmark run is for), only that each scenario ran and lost nothing.
 */
class BenchSmokeIT {

    @Test
    void everyScenarioRunsAgainstHibikiAndNode() throws Exception {
        Compare compare = new Compare(new Args(new String[] {"--quick", "--node-dir=" + NodeScript.nodeDir(),
                "--out=target/bench-smoke"}));
        compare.run();
        Map<String, Map<String, List<Map<String, Object>>>> results = compare.results();
        assertEquals(compare.specs().size(), results.size());
        for (var scenario : results.entrySet()) {
            for (String server : List.of("hibiki", "node")) {
                List<Map<String, Object>> runs = scenario.getValue().get(server);
                assertTrue(runs != null && !runs.isEmpty(), scenario.getKey() + " did not run on " + server);
                Map<String, Object> r = runs.get(0);
                String what = scenario.getKey() + " on " + server + ": " + r;
                switch (String.valueOf(r.get("scenario"))) {
                    case "fanout" -> {
                        assertEquals(0L, ((Number) r.get("lost")).longValue(), what);
                        assertTrue(((Number) r.get("delivered_per_s")).longValue() > 0, what);
                    }
                    case "echo-ack" -> assertTrue(((Number) r.get("acks_per_s")).longValue() > 0, what);
                    case "idle" -> {
                        assertEquals(r.get("clients"), r.get("open_after_settle"), what);
                        assertTrue(r.get("rss_kb_per_connection") instanceof Number, what);
                        assertTrue(r.get("rss_kb_per_connection_marginal") instanceof Number, what);
                        assertEquals(r.get("clients"), r.get("open_after_steady"), what);
                        assertTrue(r.get("rss_kb_per_connection_steady") instanceof Number, what);
                    }
                    case "compressed-memory" -> assertEquals(0L, ((Number) r.get("lost")).longValue(), what);
                    default -> throw new AssertionError("unknown scenario " + what);
                }
            }
        }
    }
}
