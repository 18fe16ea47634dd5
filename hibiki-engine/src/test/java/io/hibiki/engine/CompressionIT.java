package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.testsupport.NodeScript;
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
import java.util.zip.GZIPInputStream;
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
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/engine.io/?EIO=4&transport=polling"))
                .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
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
}
