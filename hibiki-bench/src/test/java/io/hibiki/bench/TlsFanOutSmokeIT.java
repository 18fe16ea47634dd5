package io.hibiki.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.NodeScript;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The TLS fan-out comparison at tiny size, so it cannot rot: every setup (Hibiki plain, on BoringSSL and on the
 * JDK's engine; Node plain and over node:https) ran, over the transport it says, and lost nothing. Figures are for
 * the benchmark run, not judged here.
 */
class TlsFanOutSmokeIT {

    @Test
    void everySetupRunsAndLosesNothing() throws Exception {
        List<Map<String, Object>> rows = TlsFanOut.run(new Args(new String[] {"--quick",
                "--node-dir=" + NodeScript.nodeDir()}));
        assertEquals(List.of("hibiki plain", "hibiki tls", "hibiki tls (JDK engine)", "node plain", "node tls"),
                rows.stream().map(r -> r.get("setup")).toList());
        for (Map<String, Object> r : rows) {
            assertEquals(0L, ((Number) r.get("lost")).longValue(), r.toString());
            assertTrue(((Number) r.get("delivered_per_s")).longValue() > 0, r.toString());
        }
        assertTrue(String.valueOf(rows.get(1).get("tls_engine")).startsWith("OpenSSL"), rows.get(1).toString());
        assertEquals("JDK", rows.get(2).get("tls_engine"), rows.get(2).toString());
    }
}
