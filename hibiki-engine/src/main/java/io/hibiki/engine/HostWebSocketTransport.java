package io.hibiki.engine;

import io.hibiki.engine.codec.EnginePacket;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport over a host's WebSocket ({@link HostWebSocket}): one Engine.IO packet per message, as
 * {@link WebSocketTransport} does over a Netty channel. Inbound messages hop onto the session's loop.
 */
final class HostWebSocketTransport implements SessionTransport, HostWebSocketListener {

    private static final Logger log = LoggerFactory.getLogger(HostWebSocketTransport.class);

    private final HostWebSocket socket;
    private final EngineSession session;
    /** Whether the client asked for binary as base64 text ({@code b64} in its query, as Node reads it). */
    private final boolean base64Binary;

    HostWebSocketTransport(HostWebSocket socket, EngineSession session) {
        this.socket = socket;
        this.session = session;
        this.base64Binary = session.request().query().containsKey("b64");
    }

    @Override
    public Transport kind() {
        return Transport.WEBSOCKET;
    }

    @Override
    public boolean canWrite() {
        return socket.isOpen();
    }

    @Override
    public boolean isWritable() {
        return socket.bufferedBytes() < SlowConsumers.WATER_MARK.high();
    }

    @Override
    public void write(ArrayDeque<EngineMessage> queue) {
        EngineMessage m;
        while ((m = queue.poll()) != null) {
            try {
                if (m.isBinary() && base64Binary) {
                    socket.sendText("b" + Base64.getEncoder().encodeToString(ByteBufUtil.getBytes(m.content())));
                } else if (m.isBinary()) {
                    socket.sendBinary(ByteBufUtil.getBytes(m.content()));
                } else {
                    socket.sendText(m.content().toString(StandardCharsets.UTF_8));
                }
            } finally {
                m.release();
            }
        }
        long pending = socket.bufferedBytes();
        if (pending > session.server().options().maxPendingBytes()) {
            log.debug("websocket {}: {} bytes pending, disconnecting a slow consumer", session.id(), pending);
            session.onClose(CloseReason.TRANSPORT_ERROR, "slow consumer");
            socket.abort();
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public void discard() {
        socket.close();
    }

    // ---- from the host ----

    @Override
    public void onText(String text) {
        WebSocketTransport.deliverText(session, this, text);
    }

    @Override
    public void onBinary(byte[] data) {
        EnginePacket packet = EnginePacket.binaryMessage(data);
        session.execute(() -> session.onPacket(this, packet));
    }

    @Override
    public void onClose() {
        session.execute(() -> session.onTransportError(this, CloseReason.TRANSPORT_CLOSE, "websocket closed"));
    }
}
