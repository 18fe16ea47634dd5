package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.RawWebSocket;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two compression options: off by default, and working with real clients when turned on. */
class CompressionIT {

    private EngineServer server;
    private int port;

    private void start(EngineOptions options) {
        server = new EngineServer(options);
        server.onConnection(s -> {
            s.onMessage(s::send);
            s.onBinary(s::send);
        });
        port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<byte[]> handshake() throws Exception {
        return handshake("gzip");
    }

    private HttpResponse<byte[]> handshake(String acceptEncoding) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/engine.io/?EIO=4&transport=polling"))
                .header("Accept-Encoding", acceptEncoding).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void anEncodingTheClientRefusesIsNotUsed() throws Exception {
        start(EngineOptions.builder().httpCompression(true).httpCompressionThreshold(10).build());
        assertTrue(handshake("gzip;q=0, identity").headers().firstValue("Content-Encoding").isEmpty(),
                "gzip;q=0 means no gzip");
        assertEquals("deflate", handshake("gzip;q=0, deflate").headers().firstValue("Content-Encoding")
                .orElse(null));
        assertEquals("deflate", handshake("gzip;q=0.2, deflate;q=0.8").headers().firstValue("Content-Encoding")
                .orElse(null), "the heavier weight wins");
    }

    @Test
    void pollingResponsesAreGzippedOnlyWhenHttpCompressionIsOn() throws Exception {
        start(EngineOptions.DEFAULT);
        HttpResponse<byte[]> plain = handshake();
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty(), "off by default");
        assertTrue(new String(plain.body(), StandardCharsets.UTF_8).startsWith("0{\"sid\":"));
        stop();

        start(EngineOptions.builder().httpCompression(true).httpCompressionThreshold(10).build());
        HttpResponse<byte[]> zipped = handshake();
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(null));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("0{\"sid\":"));
        }
    }

    /** The 101 answer to a handshake that offers permessage-deflate, as browsers do. */
    private String upgradeOfferingDeflate() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder head = new StringBuilder();
            InputStream in = s.getInputStream();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }

    @Test
    void permessageDeflateIsNegotiatedOnlyWhenTurnedOn() throws Exception {
        start(EngineOptions.DEFAULT);
        String off = upgradeOfferingDeflate();
        assertTrue(off.startsWith("HTTP/1.1 101"), off);
        assertNull(extension(off), "off by default: " + off);
        stop();

        start(EngineOptions.builder().perMessageDeflate(true).build());
        String on = upgradeOfferingDeflate();
        assertTrue(on.startsWith("HTTP/1.1 101"), on);
        assertTrue(String.valueOf(extension(on)).startsWith("permessage-deflate"), on);
    }

    private static String extension(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-extensions:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    @Test
    void theOfficialClientExchangesMessagesOverACompressedWebSocket() {
        start(EngineOptions.builder().perMessageDeflate(true).pingInterval(Duration.ofMillis(300)).build());
        // engine.io-client in Node offers permessage-deflate, so the extension is negotiated on this connection.
        try (NodeScript client = NodeScript.start("engine-echo.mjs", "--url=http://127.0.0.1:" + port,
                "--transports=websocket", "--count=300")) {
            JsonNode done = client.await("done", Duration.ofSeconds(20));
            assertEquals(300, done.get("texts").asInt());
            assertEquals(300, done.get("binaries").asInt());
        }
    }

    @Test
    void theServerKeepsNoDeflateStateAcrossMessagesUnlessAskedTo() throws Exception {
        start(EngineOptions.builder().perMessageDeflate(true).build());
        String bounded = String.valueOf(extension(upgradeOfferingDeflate()));
        assertTrue(bounded.contains("server_no_context_takeover"), bounded);
        assertFalse(bounded.contains("client_no_context_takeover"), "only when the client offers it: " + bounded);
        try (RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket",
                "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover")) {
            String both = String.valueOf(extension(ws.responseHead()));
            assertTrue(both.contains("server_no_context_takeover") && both.contains("client_no_context_takeover"),
                    both);
        }
        stop();

        start(EngineOptions.builder().perMessageDeflate(true).perMessageDeflateContextTakeover(true).build());
        String takeover = String.valueOf(extension(upgradeOfferingDeflate()));
        assertTrue(takeover.startsWith("permessage-deflate"), takeover);
        assertFalse(takeover.contains("no_context_takeover"), takeover);
    }

    private RawWebSocket deflateSession() throws Exception {
        RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
        assertTrue(ws.responseHead().startsWith("HTTP/1.1 101"), ws.responseHead());
        assertTrue(ws.read(Duration.ofSeconds(5)).text().startsWith("0{"));
        return ws;
    }

    /** Inflates one message with a fresh inflater: it succeeds only if the message needs no earlier context. */
    private static String inflateAlone(byte[] compressed) throws Exception {
        Inflater inflater = new Inflater(true);
        try {
            byte[] tail = {0, 0, (byte) 0xff, (byte) 0xff};
            byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
            System.arraycopy(tail, 0, input, compressed.length, 4);
            inflater.setInput(input);
            byte[] out = new byte[1 << 20];
            int n = inflater.inflate(out);
            return new String(out, 0, n, StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }

    @Test
    void messagesFromTheThresholdUpAreCompressedAndEachInflatesOnItsOwn() throws Exception {
        start(EngineOptions.builder().perMessageDeflate(true).build());
        try (RawWebSocket ws = deflateSession()) {
            ws.sendText("4small");
            RawWebSocket.Frame small = ws.read(Duration.ofSeconds(5));
            assertFalse(small.rsv1(), "under 1024 bytes goes out as is");
            assertEquals("4small", small.text());

            String big = "4" + "all work and no play ".repeat(100);
            for (int i = 0; i < 3; i++) {
                ws.sendText(big);
                RawWebSocket.Frame frame = ws.read(Duration.ofSeconds(5));
                assertTrue(frame.rsv1(), "compressed");
                assertTrue(frame.payload().length < big.length() / 4, "and smaller: " + frame.payload().length);
                // With context takeover the repeats would be back-references into the previous message.
                assertEquals(big, inflateAlone(frame.payload()), "message " + i);
            }
        }
    }

    @Test
    void aCompressedFrameInflatingPastMaxHttpBufferSizeEndsOnlyThatConnection() throws Exception {
        start(EngineOptions.builder().perMessageDeflate(true).maxHttpBufferSize(10_000).build());
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        server.onConnection(s -> s.onMessage(m -> {
            received.incrementAndGet();
            s.send(m);
        }));
        byte[] bomb;
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(("4" + "a".repeat(5_000_000)).getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[1 << 20];
            int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            bomb = Arrays.copyOf(buf, n - 4);
        } finally {
            deflater.end();
        }
        assertTrue(bomb.length < 10_000, "the frame itself is within the limit: " + bomb.length);
        try (RawWebSocket ws = deflateSession()) {
            byte[] frame = RawWebSocket.frame(RawWebSocket.TEXT, bomb);
            frame[0] |= 0x40;
            ws.sendRaw(frame);
            RawWebSocket.Frame answer = ws.read(Duration.ofSeconds(5));
            while (answer != null && answer.opcode() == RawWebSocket.TEXT) {
                answer = ws.read(Duration.ofSeconds(5));
            }
            assertTrue(answer != null && answer.opcode() == RawWebSocket.CLOSE, "closed with a frame: " + answer);
            assertEquals(1009, answer.closeStatus(), "message too big, as for an oversized plain frame");
            assertEquals(RawWebSocket.Frame.END, ws.read(Duration.ofSeconds(5)));
        }
        assertEquals(0, received.get(), "nothing inflated was delivered");
        try (RawWebSocket other = deflateSession()) {
            other.sendText("4still serving");
            assertEquals("4still serving", other.read(Duration.ofSeconds(5)).text());
        }
    }
}
