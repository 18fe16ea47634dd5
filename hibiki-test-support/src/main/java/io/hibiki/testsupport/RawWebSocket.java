package io.hibiki.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking WebSocket client over a plain socket that writes exactly the bytes a test asks for (any opcode, any
 * payload, or raw bytes that are no frame at all) and reads server frames one by one: the hostile client the
 * official libraries will not be. Loopback only; every read is bounded by a timeout.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;

    /** A server frame; {@code opcode} -1 means the connection ended; {@code rsv1} marks permessage-deflate. */
    public record Frame(int opcode, byte[] payload, boolean rsv1) {
        public static final Frame END = new Frame(-1, new byte[0]);

        public Frame(int opcode, byte[] payload) {
            this(opcode, payload, false);
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeStatus() {
            return payload.length < 2 ? -1 : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    private final java.net.Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** The status line and headers of the server's answer to the upgrade request. */
    private final String responseHead;

    private RawWebSocket(java.net.Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.responseHead = head;
    }

    /**
     * Connects and sends the upgrade request for {@code pathAndQuery} (such as
     * {@code /socket.io/?EIO=4&transport=websocket}); returns after the response head, whatever its status.
     */
    public static RawWebSocket open(int port, String pathAndQuery, String... extraHeaders) throws IOException {
        java.net.Socket s = new java.net.Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return new RawWebSocket(s, head.toString(StandardCharsets.ISO_8859_1));
    }

    /** A WebSocket-only Engine.IO session at {@code path} (e.g. {@code /socket.io/}), its open packet read. */
    public static RawWebSocket engineSession(int port, String path) throws IOException {
        RawWebSocket ws = open(port, path + "?EIO=4&transport=websocket");
        if (!ws.responseHead.startsWith("HTTP/1.1 101")) {
            ws.close();
            throw new IOException("upgrade refused: " + ws.responseHead);
        }
        Frame open = ws.read(Duration.ofSeconds(5));
        if (open == null || !open.text().startsWith("0{")) {
            ws.close();
            throw new IOException("expected the open packet, got " + open);
        }
        return ws;
    }

    /** The status line and headers of the server's answer to the upgrade request. */
    public String responseHead() {
        return responseHead;
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked frame with FIN set. */
    public void send(int opcode, byte[] payload) throws IOException {
        sendRaw(frame(opcode, payload));
    }

    /** The bytes of one masked client frame with FIN set. */
    public static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, {@link Frame#END} when the server closed the connection, {@code null} on timeout. */
    public Frame read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            int b0 = readByte();
            int b1 = readByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = readByte() << 8 | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = len << 8 | readByte();
                }
            }
            byte[] payload = in.readNBytes((int) len);
            if (payload.length < len) {
                return Frame.END;
            }
            return new Frame(b0 & 0x0f, payload, (b0 & 0x40) != 0);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (EOFException | java.net.SocketException e) {
            return Frame.END;
        }
    }

    /** Reads until a text frame starting with {@code prefix}, answering pings; fails after {@code timeout}. */
    public String awaitText(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Frame f = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (f == null || f == Frame.END || f.opcode() == CLOSE) {
                String why = f == null ? "timeout" : "close " + f.closeStatus();
                throw new IOException("no " + prefix + " before " + why);
            }
            if (f.opcode() == TEXT && f.text().equals("2")) {
                sendText("3");
            } else if (f.opcode() == TEXT && f.text().startsWith(prefix)) {
                return f.text();
            }
        }
        throw new IOException("no " + prefix + " within " + timeout);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a socket we own; nothing to do.
        }
    }
}
