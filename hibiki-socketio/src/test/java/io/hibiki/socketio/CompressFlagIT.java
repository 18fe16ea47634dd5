package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    @Test
    void aPollOfOnlyUncompressedMessagesIsNotHttpCompressed() throws Exception {
        try (SioFixture fx = SioFixture.start(b -> b.engine(e -> e.httpCompression(true)))) {
            fx.io.onConnection(socket -> socket.on("go", (args, ack) -> {
                if (args.getString(0).equals("plain")) {
                    socket.compress(false).emit("plain", BIG);
                } else {
                    socket.emit("packed", BIG);
                }
            }));
            String sid;
            try (io.hibiki.testsupport.RawHttp c = io.hibiki.testsupport.RawHttp.open(fx.port, Duration.ofSeconds(5))) {
                String open = c.send("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n").read().body();
                sid = open.substring(9, 29);
            }
            post(fx.port, sid, "40");
            poll(fx.port, sid);
            post(fx.port, sid, "42[\"go\",\"plain\"]");
            io.hibiki.testsupport.RawHttp.Response plain = poll(fx.port, sid);
            assertNull(plain.header("content-encoding"), "compress(false): sent as it is");
            assertTrue(plain.body().contains("plain"), plain.body());
            post(fx.port, sid, "42[\"go\",\"packed\"]");
            assertEquals("gzip", poll(fx.port, sid).header("content-encoding"), "the same size without the flag");
        }
    }

    private static void post(int port, String sid, String body) throws Exception {
        try (io.hibiki.testsupport.RawHttp c = io.hibiki.testsupport.RawHttp.open(port, Duration.ofSeconds(5))) {
            assertEquals(200, c.send("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).read().status());
        }
    }

    private static io.hibiki.testsupport.RawHttp.Response poll(int port, String sid) throws Exception {
        try (io.hibiki.testsupport.RawHttp c = io.hibiki.testsupport.RawHttp.open(port, Duration.ofSeconds(5))) {
            return c.send("GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                    + "Accept-Encoding: gzip\r\n\r\n").read();
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
