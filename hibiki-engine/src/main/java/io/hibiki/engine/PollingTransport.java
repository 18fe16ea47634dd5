package io.hibiki.engine;

import io.hibiki.engine.codec.DecodedPayload;
import io.hibiki.engine.codec.EnginePacketDecoder;
import io.hibiki.engine.codec.EnginePacketType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
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
    private ChannelHandlerContext pollCtx;
    /** The connection whose POST body is arriving, if any. */
    private ChannelHandlerContext dataCtx;
    private HttpRequest pollRequest;
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
    void onPoll(ChannelHandlerContext ctx, HttpRequest req) {
        if (discarded) {
            responses.error(ctx, req, EngineError.BAD_REQUEST);
            return;
        }
        if (pollCtx != null) {
            // Two waiting polls means a broken or hostile client; Node closes the session too.
            responses.overlap(ctx, req);
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "overlapping polls");
            return;
        }
        pollCtx = ctx;
        pollRequest = req;
        session.onTransportWritable(this);
    }

    void sessionExecute(Runnable task) {
        session.executeInOrder(task);
    }

    /** The connection of a waiting GET closed before we answered it. */
    void onPollConnectionClosed(ChannelHandlerContext ctx) {
        if (pollCtx == ctx) {
            pollCtx = null;
            pollRequest = null;
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
        }
    }

    /** A POST's headers arrived; its body follows. A client must not send a second one before the first ends. */
    void onDataStart(ChannelHandlerContext ctx, HttpRequest req) {
        if (discarded) {
            responses.error(ctx, req, EngineError.BAD_REQUEST);
            return;
        }
        if (dataCtx != null) {
            // Two bodies at once could be taken in either order; Node refuses the second and ends the session.
            responses.overlap(ctx, req);
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "data request overlap from client");
            return;
        }
        dataCtx = ctx;
    }

    /** A POST was answered by its connection (413): no longer one in progress, and its connection is left alone. */
    void onDataAnswered(ChannelHandlerContext ctx) {
        if (dataCtx == ctx) {
            dataCtx = null;
        }
    }

    /** The connection of a POST closed before its body was all there. */
    void onDataConnectionClosed(ChannelHandlerContext ctx) {
        if (dataCtx == ctx) {
            dataCtx = null;
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "data request connection closed prematurely");
        }
    }

    /** A POST body arrived whole. */
    void onData(ChannelHandlerContext ctx, HttpRequest req, String body) {
        if (dataCtx != ctx) {
            // Already answered when it started (an overlap, or a session that had ended).
            return;
        }
        dataCtx = null;
        if (discarded) {
            responses.error(ctx, req, EngineError.BAD_REQUEST);
            return;
        }
        // As Node: the packets before a bad one count, the POST is answered "ok", and the session then ends.
        DecodedPayload decoded = EnginePacketDecoder.decodePayloadUntilError(body,
                session.server().options().maxPayloadPackets());
        responses.ok(ctx, req);
        session.onPackets(this, decoded.packets());
        if (decoded.error() != null) {
            session.onParseError(this, decoded.error());
        }
    }

    @Override
    public boolean canWrite() {
        return pollCtx != null;
    }

    @Override
    public boolean isWritable() {
        return pollCtx != null;
    }

    @Override
    public void write(ArrayDeque<EngineMessage> queue) {
        List<EngineMessage> batch = new ArrayList<>(queue);
        queue.clear();
        respond(batch);
    }

    private void respond(List<EngineMessage> batch) {
        ChannelHandlerContext ctx = pollCtx;
        HttpRequest req = pollRequest;
        pollCtx = null;
        pollRequest = null;
        HttpHeaders extra = firstResponseHeaders;
        firstResponseHeaders = null;
        boolean initial = !answeredFirst;
        answeredFirst = true;
        // As Node: the answer is compressed when any message in it may be.
        boolean compressible = batch.stream().anyMatch(EngineMessage::compress);
        ByteBuf payload = PollingPayloadEncoder.encode(ctx.alloc(), batch);
        responses.payload(ctx, req, payload, extra, compressible, initial);
    }

    @Override
    public void close() {
        if (dataCtx != null) {
            // A body still arriving has nobody left to deliver it to; Node drops its connection too.
            dataCtx.close();
            dataCtx = null;
        }
        discarded = true;
        if (pollCtx != null) {
            respond(new ArrayList<>(List.of(EngineMessage.control(EnginePacketType.CLOSE, ""))));
        }
    }

    @Override
    public void discard() {
        discarded = true;
        if (pollCtx != null) {
            respond(new ArrayList<>(List.of(EngineMessage.control(EnginePacketType.NOOP, ""))));
        }
    }
}
