package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code compress(false)} does what it says on a WebSocket with permessage-deflate (issue 20): the frame goes out
 * with RSV1 clear, whatever its size, while the same message without the flag is compressed. Read frame by frame.
 */
class CompressFlagIT {

    private static final String BIG = "x".repeat(4000);

    @Test
    void compressFalseSendsTheFrameAsItIs() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.engine(e -> e.perMessageDeflate(true)))) {
            fx.io.onConnection(socket -> socket.on("go", (args, ack) -> {
                socket.compress(false).emit("plain", BIG);
                socket.emit("packed", BIG);
                fx.io.compress(false).emit("plain-broadcast", BIG);
                fx.io.emit("packed-broadcast", BIG);
            }));
            try (RawWebSocket ws = RawWebSocket.open(fx.port, "/socket.io/?EIO=4&transport=websocket",
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
                assertTrue(ws.responseHead().contains("permessage-deflate"), ws.responseHead());
                assertTrue(ws.read(Duration.ofSeconds(5)).text().startsWith("0{"));
                ws.sendText("40");
                assertTrue(ws.read(Duration.ofSeconds(5)).text().startsWith("40{"));
                ws.sendText("42[\"go\"]");
                assertFrame(ws.read(Duration.ofSeconds(5)), false, "plain");
                assertFrame(ws.read(Duration.ofSeconds(5)), true, "packed");
                assertFrame(ws.read(Duration.ofSeconds(5)), false, "plain-broadcast");
                assertFrame(ws.read(Duration.ofSeconds(5)), true, "packed-broadcast");
            }
        }
    }

    private static void assertFrame(RawWebSocket.Frame frame, boolean compressed, String event) {
        assertNotNull(frame, event);
        assertEquals(compressed, frame.rsv1(), event + ": RSV1");
        if (!compressed) {
            assertEquals("42[\"" + event + "\",\"" + BIG + "\"]", frame.text());
        } else {
            assertFalse(frame.payload().length > 1000, event + " was compressed");
        }
    }
}
