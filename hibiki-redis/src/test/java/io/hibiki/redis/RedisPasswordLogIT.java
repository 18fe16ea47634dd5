package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.LogWatch;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Redis URL may carry a password; when Redis cannot be reached, the adapters say where they tried (host and
 * port), never the password. Port 1 on loopback refuses every connection.
 */
class RedisPasswordLogIT {

    private static final String PASSWORD = "s3cret-pw-never-logged";
    private static final String URL = "redis://:" + PASSWORD + "@127.0.0.1:1";

    private static void assertNoPasswordIn(List<String> lines) {
        assertTrue(lines.stream().anyMatch(l -> l.contains("127.0.0.1:1")), "the address is said: " + lines);
        assertFalse(lines.stream().anyMatch(l -> l.contains(PASSWORD)), "the password is in the log: " + lines);
    }

    /** Starts a server on {@code adapter}, emits (so the adapter needs Redis), waits for {@code sign} in the log. */
    private static void emitAndCheckTheLog(io.hibiki.socketio.adapter.AdapterFactory adapter, String sign) {
        try (LogWatch logs = LogWatch.open()) {
            SocketIoServer io = SocketIoServer.builder().adapter(adapter).build();
            try {
                io.emit("hello", "anyone");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                        () -> logs.problems().stream().anyMatch(l -> l.contains(sign)));
                assertNoPasswordIn(logs.problems());
            } finally {
                io.close();
            }
        }
    }

    @Test
    void theStreamsAdapterLogsTheAddressNotThePassword() {
        emitAndCheckTheLog(RedisStreamsAdapter.factory(RedisStreamsOptions.of(URL)), "Redis at ");
    }

    @Test
    void thePubSubAdapterLogsTheAddressNotThePassword() {
        emitAndCheckTheLog(RedisAdapter.factory(RedisAdapterOptions.of(URL)), "127.0.0.1:1");
    }
}
