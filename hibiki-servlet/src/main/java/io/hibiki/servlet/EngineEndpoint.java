package io.hibiki.servlet;

import io.hibiki.engine.EngineHost;
import io.hibiki.engine.HostUpgrade;
import io.hibiki.engine.HostWebSocketListener;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded connection: the container's WebSocket session, handed to the engine once open. Public only because
 * Jetty refuses endpoint classes that are not; {@link EngineFilter} creates every instance.
 */
public final class EngineEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(EngineEndpoint.class);

    private final EngineHost host;
    private final HostUpgrade upgrade;
    private volatile HostWebSocketListener listener;

    EngineEndpoint(EngineHost host, HostUpgrade upgrade) {
        this.host = host;
        this.upgrade = upgrade;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // Larger messages close the connection with 1009, as on Netty.
        session.setMaxTextMessageBufferSize(upgrade.maxMessageSize());
        session.setMaxBinaryMessageBufferSize(upgrade.maxMessageSize());
        HostWebSocketListener l = host.open(upgrade, new ServletWebSocket(session));
        listener = l;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) l::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) buffer -> {
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            l.onBinary(data);
        });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        HostWebSocketListener l = listener;
        if (l != null) {
            l.onClose();
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        log.debug("websocket {} failed: {}", session.getId(), error.toString());
    }
}
