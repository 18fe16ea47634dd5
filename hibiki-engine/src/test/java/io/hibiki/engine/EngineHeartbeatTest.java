package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.RS;
import static io.hibiki.engine.EngineFixture.advance;
import static io.hibiki.engine.EngineFixture.get;
import static io.hibiki.engine.EngineFixture.handshake;
import static io.hibiki.engine.EngineFixture.poll;
import static io.hibiki.engine.EngineFixture.post;
import static io.hibiki.engine.EngineFixture.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server-driven heartbeat and the close timeout, on the virtual clock of the channel whose handshake made the
 * session (default options: ping every 25 s, pong expected within 20 s).
 */
class EngineHeartbeatTest {

    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration INTERVAL = Duration.ofSeconds(25);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final EngineFixture f = new EngineFixture();
    private EmbeddedChannel clock;
    private String sid;

    @BeforeEach
    void open() {
        clock = f.connection();
        sid = handshake(clock);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void pingIsQueuedAfterPingIntervalAndGoesOutOnTheNextPoll() {
        advance(clock, INTERVAL.minus(MS));
        f.socket(sid).send("before");
        assertEquals("4before", get(clock, poll(sid)).body(), "no ping before the interval");
        advance(clock, MS);
        assertEquals("2", get(clock, poll(sid)).body());
        assertTrue(f.socket(sid).isOpen());
    }

    @Test
    void pingAnswersAWaitingPollAtOnce() {
        EmbeddedChannel waiting = f.connection();
        assertNull(get(waiting, poll(sid)));
        advance(clock, INTERVAL.minus(MS));
        assertNull(reply(waiting));
        advance(clock, MS);
        assertEquals("2", reply(waiting).body());
    }

    @Test
    void pingQueuesBehindPendingMessages() {
        f.socket(sid).send("a");
        advance(clock, INTERVAL);
        f.socket(sid).send("b");
        assertEquals("4a" + RS + "2" + RS + "4b", get(clock, poll(sid)).body());
    }

    @Test
    void noPongWithinPingTimeoutClosesWithPingTimeout() {
        advance(clock, INTERVAL);
        assertEquals("2", get(clock, poll(sid)).body());
        EmbeddedChannel waiting = f.connection();
        assertNull(get(waiting, poll(sid)));
        advance(clock, TIMEOUT.minus(MS));
        assertTrue(f.socket(sid).isOpen());
        assertNull(f.closes.get(sid));
        advance(clock, MS);
        assertEquals(CloseReason.PING_TIMEOUT, f.closes.get(sid));
        assertFalse(f.socket(sid).isOpen());
        assertEquals(0, f.server.clientsCount());
        assertEquals("1", reply(waiting).body(), "a waiting poll hears of the close");
    }

    @Test
    void aPongKeepsTheSessionAliveAndRestartsTheInterval() {
        advance(clock, INTERVAL);
        assertEquals("2", get(clock, poll(sid)).body());
        for (int round = 0; round < 3; round++) {
            advance(clock, TIMEOUT.minus(MS));
            assertEquals("ok", post(clock, poll(sid), "3").body());
            advance(clock, TIMEOUT);
            assertTrue(f.socket(sid).isOpen(), "round " + round);
            // The next ping is due one interval after the pong.
            advance(clock, INTERVAL.minus(TIMEOUT).minus(MS));
            f.socket(sid).send("still here");
            assertEquals("4still here", get(clock, poll(sid)).body(), "round " + round);
            advance(clock, MS);
            assertEquals("2", get(clock, poll(sid)).body(), "round " + round);
        }
        assertNull(f.closes.get(sid));
    }

    @Test
    void messagesDoNotCountAsPongs() {
        advance(clock, INTERVAL);
        assertEquals("2", get(clock, poll(sid)).body());
        assertEquals("ok", post(clock, poll(sid), "4busy" + RS + "4busy").body());
        advance(clock, TIMEOUT);
        assertEquals(CloseReason.PING_TIMEOUT, f.closes.get(sid));
    }

    @Test
    void optionsSetTheTimers() {
        EngineFixture fast = new EngineFixture(EngineOptions.builder()
                .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)).build());
        try (fast) {
            EmbeddedChannel ch = fast.connection();
            String id = handshake(ch);
            advance(ch, Duration.ofMillis(300));
            assertEquals("2", get(ch, poll(id)).body());
            advance(ch, Duration.ofMillis(200));
            assertEquals(CloseReason.PING_TIMEOUT, fast.closes.get(id));
        }
    }

    @Test
    void aServerCloseWithoutAPollFinishesAfterTheCloseTimeout() {
        f.socket(sid).close();
        assertFalse(f.socket(sid).isOpen());
        assertNull(f.closes.get(sid), "the close packet waits for a poll");
        advance(clock, TIMEOUT.minus(MS));
        assertNull(f.closes.get(sid));
        advance(clock, MS);
        assertEquals(CloseReason.FORCED_CLOSE, f.closes.get(sid));
        assertEquals(0, f.server.clientsCount());
    }

    @Test
    void noPingAfterTheSessionClosed() {
        EmbeddedChannel waiting = f.connection();
        assertNull(get(waiting, poll(sid)));
        f.socket(sid).close(CloseReason.SERVER_SHUTTING_DOWN);
        assertEquals("1", reply(waiting).body());
        assertEquals(CloseReason.SERVER_SHUTTING_DOWN, f.closes.get(sid));
        advance(clock, INTERVAL.plus(TIMEOUT).multipliedBy(3));
        assertNull(reply(waiting));
        assertEquals(-1, clock.runScheduledPendingTasks(), "no timer left behind");
    }
}
