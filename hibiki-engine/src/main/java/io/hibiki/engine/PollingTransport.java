package io.hibiki.engine;

import io.hibiki.engine.codec.DecodedPayload;
import io.hibiki.engine.codec.EnginePacketDecoder;
import io.hibiki.engine.codec.EnginePacketType;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP long-polling: a GET waits until the session has packets for it; a POST carries packets in. At most one
 * GET may wait at a time. Runs on the session's loop; the HTTP channels may live on other loops.
 */
final class PollingTransport implements SessionTransport {

    private final EngineSession session;
    private final EngineResponses responses;
    /** The GET waiting for packets, if any. */
    private HttpExchange poll;
    /** The POST whose body is arriving, if any. */
    private HttpExchange data;
    private HttpHeaders firstResponseHeaders;
    /** Whether the handshake's own answer has gone (the one Node's "initial_headers" is for). */
    private boolean answeredFirst;
    private boolean discarded;

    PollingTransport(EngineSession session, EngineResponses responses, HttpHeaders handshakeHeaders) {
        this.session = session;
        this.responses = responses;
        this.firstResponseHeaders = handshakeHeaders;
    }

    @Override
    public Transport kind() {
        return Transport.POLLING;
    }

    /** A GET arrived. */
    void onPoll(HttpExchange ex) {
        if (discarded) {
            responses.error(ex, EngineError.BAD_REQUEST);
            return;
        }
        if (poll != null) {
            // Two waiting polls means a broken or hostile client; Node closes the session too.
            responses.overlap(ex);
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "overlapping polls");
            return;
        }
        poll = ex;
        session.onTransportWritable(this);
    }

    void sessionExecute(Runnable task) {
        session.executeInOrder(task);
    }

    /** The connection of a waiting GET closed before we answered it. */
    void onPollConnectionClosed(HttpExchange ex) {
        if (poll == ex) {
            poll = null;
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
        }
    }

    /** A POST's headers arrived; its body follows. A client must not send a second one before the first ends. */
    void onDataStart(HttpExchange ex) {
        if (discarded) {
            responses.error(ex, EngineError.BAD_REQUEST);
            return;
        }
        if (data != null) {
            // Two bodies at once could be taken in either order; Node refuses the second and ends the session.
            responses.overlap(ex);
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "data request overlap from client");
            return;
        }
        data = ex;
    }

    /** A POST was answered by its connection (413): no longer one in progress, and its connection is left alone. */
    void onDataAnswered(HttpExchange ex) {
        if (data == ex) {
            data = null;
        }
    }

    /** The connection of a POST closed before its body was all there. */
    void onDataConnectionClosed(HttpExchange ex) {
        if (data == ex) {
            data = null;
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "data request connection closed prematurely");
        }
    }

    /** A POST body arrived whole. */
    void onData(HttpExchange ex, String body) {
        if (data != ex) {
            // Already answered when it started (an overlap, or a session that had ended).
            return;
        }
        data = null;
        if (discarded) {
            responses.error(ex, EngineError.BAD_REQUEST);
            return;
        }
        // As Node: the packets before a bad one count, the POST is answered "ok", and the session then ends.
        DecodedPayload decoded = EnginePacketDecoder.decodePayloadUntilError(body,
                session.server().options().maxPayloadPackets());
        responses.ok(ex);
        session.onPackets(this, decoded.packets());
        if (decoded.error() != null) {
            session.onParseError(this, decoded.error());
        }
    }

    @Override
    public boolean canWrite() {
        return poll != null;
    }

    @Override
    public boolean isWritable() {
        return poll != null;
    }

    @Override
    public void write(ArrayDeque<EngineMessage> queue) {
        List<EngineMessage> batch = new ArrayList<>(queue);
        queue.clear();
        respond(batch);
    }

    private void respond(List<EngineMessage> batch) {
        HttpExchange ex = poll;
        poll = null;
        HttpHeaders extra = firstResponseHeaders;
        firstResponseHeaders = null;
        boolean initial = !answeredFirst;
        answeredFirst = true;
        // As Node: the answer is compressed when any message in it may be.
        boolean compressible = batch.stream().anyMatch(EngineMessage::compress);
        ByteBuf payload = PollingPayloadEncoder.encode(ex.alloc(), batch);
        responses.payload(ex, payload, extra, compressible, initial);
    }

    @Override
    public void close() {
        if (data != null) {
            // A body still arriving has nobody left to deliver it to; Node drops its connection too.
            data.abort();
            data = null;
        }
        discarded = true;
        if (poll != null) {
            respond(new ArrayList<>(List.of(EngineMessage.control(EnginePacketType.CLOSE, ""))));
        }
    }

    @Override
    public void discard() {
        discarded = true;
        if (poll != null) {
            respond(new ArrayList<>(List.of(EngineMessage.control(EnginePacketType.NOOP, ""))));
        }
    }
}
