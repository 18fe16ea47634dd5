package io.hibiki.servlet;

import io.hibiki.engine.HostWebSocket;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket session as the engine writes to it. A container sends one asynchronous message at a time
 * (Tomcat refuses a second while the first is in flight), so messages queue here and each completion sends the
 * next; a polite close waits for the queue to drain, so the close packet before it still goes out.
 */
final class ServletWebSocket implements HostWebSocket {

    private static final Logger log = LoggerFactory.getLogger(ServletWebSocket.class);

    private record Outgoing(Object payload, int size) { }

    private final Session session;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean sending;
    private boolean closeWhenDrained;
    private long buffered;

    ServletWebSocket(Session session) {
        this.session = session;
    }

    @Override
    public void sendText(String text) {
        // A UTF-16 length is close enough to the bytes queued for the slow-consumer limit.
        enqueue(new Outgoing(text, text.length()));
    }

    @Override
    public void sendBinary(byte[] data) {
        enqueue(new Outgoing(data, data.length));
    }

    private synchronized void enqueue(Outgoing out) {
        if (closeWhenDrained) {
            return;
        }
        queue.add(out);
        buffered += out.size();
        if (!sending) {
            sendNext();
        }
    }

    /** Called holding the lock. */
    private void sendNext() {
        Outgoing next = queue.poll();
        if (next == null) {
            sending = false;
            if (closeWhenDrained) {
                closeNow(CloseReason.CloseCodes.NORMAL_CLOSURE);
            }
            return;
        }
        sending = true;
        try {
            if (next.payload() instanceof String text) {
                session.getAsyncRemote().sendText(text, result -> sent(next, result));
            } else {
                session.getAsyncRemote().sendBinary(ByteBuffer.wrap((byte[]) next.payload()),
                        result -> sent(next, result));
            }
        } catch (IllegalStateException e) {
            log.debug("websocket {}: send refused: {}", session.getId(), e.toString());
            queue.clear();
            buffered = 0;
            sending = false;
        }
    }

    private synchronized void sent(Outgoing out, SendResult result) {
        buffered -= out.size();
        if (!result.isOK()) {
            log.debug("websocket {}: send failed: {}", session.getId(), String.valueOf(result.getException()));
            queue.clear();
            buffered = 0;
            sending = false;
            return;
        }
        sendNext();
    }

    @Override
    public synchronized long bufferedBytes() {
        return buffered;
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public synchronized void close() {
        closeWhenDrained = true;
        if (!sending) {
            closeNow(CloseReason.CloseCodes.NORMAL_CLOSURE);
        }
    }

    @Override
    public synchronized void abort() {
        queue.clear();
        buffered = 0;
        closeWhenDrained = true;
        closeNow(CloseReason.CloseCodes.GOING_AWAY);
    }

    private void closeNow(CloseReason.CloseCode code) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.close(new CloseReason(code, ""));
        } catch (IOException | IllegalStateException e) {
            log.debug("websocket {}: close failed: {}", session.getId(), e.toString());
        }
    }
}
