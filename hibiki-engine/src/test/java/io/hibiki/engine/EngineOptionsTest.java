package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Values that would make the server refuse everyone are refused when the options are built, with the reason. */
class EngineOptionsTest {

    @Test
    void limitsThatWouldRefuseEveryClientAreRefusedUpFront() {
        EngineOptions.Builder b = EngineOptions.builder();
        assertEquals("maxPayloadPackets must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxPayloadPackets(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.maxPendingBytes(0));
        assertThrows(IllegalArgumentException.class, () -> b.maxPendingBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> b.httpCompressionThreshold(-1));
        // The boundaries themselves are fine.
        EngineOptions o = b.maxPayloadPackets(1).maxPendingBytes(1).httpCompressionThreshold(0).build();
        assertEquals(1, o.maxPayloadPackets());
        assertEquals(1, o.maxPendingBytes());
        assertEquals(0, o.httpCompressionThreshold());
    }
}
