package io.hibiki.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the startup warm-up: sessions run through everything a reconnecting client does (a polling
 * handshake, posts and polls, the upgrade probe, WebSocket messages, a binary message, a close, and a
 * WebSocket-only session), over a plain blocking socket. A freshly started JVM spends its first second loading and
 * interpreting that path; the first burst of real clients then missed their heartbeat window (issue 14, point 7).
 * The messages are shaped as Socket.IO packets so that the layer above is warmed too; an Engine.IO-only server just
 * echoes them. Bounded in rounds and time; any failure ends the warm-up, never the start.
 */
final class StartupWarmup {

    /**
     * Measured (BENCHMARKS.md, cold start): one round still lost a burst now and then, four never did, more bought
     * little and each costs startup time. The property is for that measurement.
     */
    static final int ROUNDS = Integer.getInteger("hibiki.warmup.rounds", 8);
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final int READ_TIMEOUT_MILLIS = 2000;
    private static final char RS = '\u001e';

    private final int port;
    private final String path;
    private final boolean polling;
    private final boolean websocket;
    private final boolean deflate;

    StartupWarmup(int port, EngineOptions options) {
        this.port = port;
        this.path = options.path() + "/";
        this.polling = options.transports().contains(Transport.POLLING);
        this.websocket = options.transports().contains(Transport.WEBSOCKET);
        this.deflate = options.perMessageDeflate();
    }

    /** Runs the rounds; returns how many sessions went through. */
    int run() throws IOException {
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
        int sessions = 0;
        for (int i = 0; i < ROUNDS && System.nanoTime() < deadline; i++) {
            if (polling) {
                pollingThenUpgrade();
                sessions++;
            }
            if (websocket) {
                websocketOnly();
                sessions++;
            }
        }
        return sessions;
    }

    private void pollingThenUpgrade() throws IOException {
        String open = request("GET", "EIO=4&transport=polling&t=warm", null);
        String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\"sid\":\"") + 27);
        String session = "EIO=4&transport=polling&sid=" + sid;
        request("POST", session, "40");
        request("GET", session, null);
        request("POST", session, "421[\"warm\",1]" + RS + "451-2[\"warm\",{\"_placeholder\":true,\"num\":0}]" + RS
                + "b" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        request("GET", session, null);
        if (!websocket) {
            request("POST", session, "1");
            return;
        }
        try (Socket s = webSocket("EIO=4&transport=websocket&sid=" + sid)) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            sendText(out, "2probe");
            readFrame(in);
            sendText(out, "5");
            sendText(out, "423[\"warm\",3]");
            readFrame(in);
            sendText(out, "1");
            closeFrame(out);
            drain(in);
        }
    }

    private void websocketOnly() throws IOException {
        try (Socket s = webSocket("EIO=4&transport=websocket")) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            readFrame(in);
            sendText(out, "40");
            readFrame(in);
            sendText(out, "424[\"warm\",4]");
            readFrame(in);
            sendText(out, "1");
            closeFrame(out);
            drain(in);
        }
    }

    // ---- HTTP ----

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        return s;
    }

    /** One request on its own connection; returns the body of a 200, throws otherwise. */
    private String request(String method, String query, String body) throws IOException {
        try (Socket s = connect()) {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + (body == null ? "" : "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: "
                    + content.length + "\r\n") + "Connection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("warm-up " + method + " answered " + firstLine(response));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private Socket webSocket(String query) throws IOException {
        Socket s = connect();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String head = "GET " + path + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "")
                + "\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String response = readHead(s.getInputStream());
        if (!response.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("warm-up upgrade answered " + firstLine(response));
        }
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int tail = 0;
        while (tail != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0 || head.size() > 16 * 1024) {
                throw new IOException("warm-up: no response head");
            }
            head.write(b);
            tail = (tail << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String firstLine(String response) {
        int end = response.indexOf('\r');
        return end < 0 ? response : response.substring(0, end);
    }

    // ---- WebSocket frames (client frames are masked) ----

    private static void sendText(OutputStream out, String text) throws IOException {
        send(out, 0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void closeFrame(OutputStream out) throws IOException {
        send(out, 0x8, new byte[] {0x03, (byte) 0xe8});
    }

    private static void send(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads one server frame and returns its payload (uncompressed or not: the warm-up does not look). */
    private static byte[] readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("warm-up: connection ended before a frame");
        }
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        if (length > 1 << 20) {
            throw new IOException("warm-up: frame of " + length + " bytes");
        }
        return in.readNBytes((int) length);
    }

    /** Reads until the server closes (bounded by the read timeout). */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // the close frame, then the end
        }
    }
}
