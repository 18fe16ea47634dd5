package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Values that could never work are refused when the server is configured, not at each connection. */
class SocketIoOptionsTest {

    @Test
    void impossibleValuesAreRefusedUpFront() {
        SocketIoOptions.Builder b = SocketIoServer.builder();
        assertThrows(IllegalArgumentException.class, () -> b.maxAttachments(-1));
        assertThrows(IllegalArgumentException.class, () -> b.maxNamespacesPerClient(0));
        // A reserved name can never be emitted: the rate-limit notice would fail on every refusal.
        assertThrows(IllegalArgumentException.class, () -> b.rateLimitedEvent("disconnect"));
        assertThrows(IllegalArgumentException.class, () -> b.listenerTurnsPerAddress(-1));
        SocketIoServer io = b.maxAttachments(0).maxNamespacesPerClient(1).rateLimitedEvent(null)
                .listenerTurnsPerAddress(0).build();
        try {
            assertEquals(0, io.options().maxAttachments());
            assertEquals(1, io.options().maxNamespacesPerClient());
        } finally {
            io.close();
        }
    }
}
