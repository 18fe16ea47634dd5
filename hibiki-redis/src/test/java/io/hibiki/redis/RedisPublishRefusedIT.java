package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.PrivateRedis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Redis refuses PUBLISH (its ACL) while the subscriptions stay up: the gap is not announced while publishing is still
 * refused (an announcement makes every listener re-sync and publish again), and it is announced once, without
 * further traffic, when publishing works again.
 */
class RedisPublishRefusedIT {

    @Test
    void theGapIsAnnouncedOnceWhenPublishingWorksAgain() throws Exception {
        AtomicInteger gaps = new AtomicInteger();
        try (PrivateRedis redis = PrivateRedis.start();
             SocketIoServer io = SocketIoServer.builder()
                     .adapter(RedisAdapter.factory(RedisAdapterOptions.of(redis.url()).withKey("refused"))).build()) {
            io.of("/").adapter().onClusterGap(gaps::incrementAndGet);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> io.of("/").adapter().linked());
            assertEquals("OK", redis.cli("ACL", "SETUSER", "default", "-publish"));
            io.emit("news", "refused");
            // Several of the link's one-second looks pass while publishing is refused: none announces a gap.
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> gaps.get() == 0);
            assertEquals("OK", redis.cli("ACL", "SETUSER", "default", "+publish"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gaps.get() == 1);
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> gaps.get() == 1);
        }
    }
}
