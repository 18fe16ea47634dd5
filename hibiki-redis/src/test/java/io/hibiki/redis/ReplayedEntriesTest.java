package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The live path leaves out a restored socket for exactly the entries its replay already held. */
class ReplayedEntriesTest {

    private static final BroadcastOptions ROOM = new BroadcastOptions(Set.of("r"), Set.of("x"), BroadcastFlags.NONE);

    @Test
    void entriesUpToTheReplaysLastAreNotDeliveredAgainToThatSocket() {
        ReplayedEntries replayed = new ReplayedEntries();
        assertSame(ROOM, replayed.excluding(ROOM, "5-0"), "nothing restored: the options as they were");
        replayed.replayed("sid-a", "100-2");
        assertEquals(Set.of("x", "sid-a"), replayed.excluding(ROOM, "100-2").except());
        assertEquals(Set.of("x", "sid-a"), replayed.excluding(ROOM, "99-7").except());
        assertEquals(Set.of("r"), replayed.excluding(ROOM, "100-1").rooms());
        assertSame(ROOM, replayed.excluding(ROOM, "100-3"), "past the replay: delivered live");
        assertSame(ROOM, replayed.excluding(ROOM, "101-0"));
    }

    @Test
    void streamIdsCompareByTimeThenSequenceAsNumbers() {
        assertTrue(ReplayedEntries.compare("9-0", "10-0") < 0);
        assertTrue(ReplayedEntries.compare("10-9", "10-10") < 0);
        assertEquals(0, ReplayedEntries.compare("1700000000000-3", "1700000000000-3"));
        assertTrue(ReplayedEntries.compare("1700000000001-0", "1700000000000-99") > 0);
    }
}
