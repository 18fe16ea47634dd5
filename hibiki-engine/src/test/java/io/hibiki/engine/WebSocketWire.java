package io.hibiki.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-bytes WebSocket client for {@link EmbeddedChannel}s whose pipeline starts with an {@link HttpServerCodec}:
 * writes the upgrade request and masked client frames, and parses what the server wrote back (the HTTP response,
 * then unmasked server frames), byte for byte as they would cross the wire.
 */
final class WebSocketWire {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One server frame. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        int closeStatus() {
            return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    private final EmbeddedChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int parsed;

    WebSocketWire(EmbeddedChannel channel) {
        this.channel = channel;
    }

    /** Sends the upgrade request and returns the server's HTTP response head. */
    String upgrade(String query) {
        String req = "GET " + EngineFixture.PATH + "?" + query + " HTTP/1.1\r\n"
                + "Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        channel.writeInbound(Unpooled.copiedBuffer(req, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        drain();
        String all = new String(received.toByteArray(), StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP response, got: " + all);
        }
        parsed = end + 4;
        return all.substring(0, end);
    }

    void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked client frame (payloads up to 65535 bytes). */
    void send(int opcode, byte[] payload) {
        sendFrame(opcode, payload, true);
    }

    /** One frame of a fragmented message: the first carries the opcode, the rest {@code 0} (continuation). */
    void sendFrame(int opcode, byte[] payload, boolean fin) {
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        ByteBuf frame = Unpooled.buffer(payload.length + 8);
        frame.writeByte((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.writeByte(0x80 | payload.length);
        } else {
            frame.writeByte(0x80 | 126);
            frame.writeShort(payload.length);
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.writeByte(payload[i] ^ mask[i % 4]);
        }
        channel.writeInbound(frame);
        channel.runPendingTasks();
    }

    /** A frame without the mask every client frame must carry (RFC 6455 §5.1): a protocol error. */
    void sendUnmasked(int opcode, byte[] payload) {
        ByteBuf frame = Unpooled.buffer(payload.length + 2);
        frame.writeByte(0x80 | opcode);
        frame.writeByte(payload.length);
        frame.writeBytes(payload);
        channel.writeInbound(frame);
        channel.runPendingTasks();
    }

    /** Every complete frame the server wrote since the last call. */
    List<Frame> frames() {
        drain();
        byte[] b = received.toByteArray();
        List<Frame> frames = new ArrayList<>();
        while (b.length - parsed >= 2) {
            int opcode = b[parsed] & 0x0f;
            int len = b[parsed + 1] & 0x7f;
            int header = 2;
            if (len == 126) {
                len = (b[parsed + 2] & 0xff) << 8 | b[parsed + 3] & 0xff;
                header = 4;
            } else if (len == 127) {
                throw new AssertionError("64-bit frame lengths are not expected in these tests");
            }
            if ((b[parsed + 1] & 0x80) != 0) {
                throw new AssertionError("server frames must not be masked");
            }
            if (b.length - parsed < header + len) {
                break;
            }
            byte[] payload = new byte[len];
            System.arraycopy(b, parsed + header, payload, 0, len);
            frames.add(new Frame(opcode, payload));
            parsed += header + len;
        }
        return frames;
    }

    private void drain() {
        // Writes are flushed once per event-loop turn; let the embedded loop take its turn first.
        channel.runPendingTasks();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            try {
                buf.readBytes(received, buf.readableBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                buf.release();
            }
        }
    }
}
