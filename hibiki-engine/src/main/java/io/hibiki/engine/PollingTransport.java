package io.hibiki.engine;

import io.hibiki.engine.codec.EnginePacket;
import io.hibiki.engine.codec.EnginePacketDecoder;
import io.hibiki.engine.codec.EnginePacketType;
import io.hibiki.engine.codec.EngineParseException;
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
    private HttpRequest pollRequest;
    private HttpHeaders firstResponseHeaders;
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
            responses.error(ctx, req, EngineError.BAD_REQUEST);
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "overlapping polls");
            return;
        }
        pollCtx = ctx;
        pollRequest = req;
        session.onTransportWritable(this);
    }

    void sessionExecute(Runnable task) {
        session.execute(task);
    }

    /** The connection of a waiting GET closed before we answered it. */
    void onPollConnectionClosed(ChannelHandlerContext ctx) {
        if (pollCtx == ctx) {
            pollCtx = null;
            pollRequest = null;
            session.onTransportError(this, CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");
        }
    }

    /** A POST body arrived. */
    void onData(ChannelHandlerContext ctx, HttpRequest req, String body) {
        if (discarded) {
            responses.error(ctx, req, EngineError.BAD_REQUEST);
            return;
        }
        List<EnginePacket> packets;
        try {
            packets = EnginePacketDecoder.decodePayload(body, session.server().options().maxPayloadPackets());
        } catch (EngineParseException e) {
            responses.error(ctx, req, EngineError.BAD_REQUEST);
            session.onParseError(this, e.getMessage());
            return;
        }
        responses.ok(ctx, req);
        session.onPackets(this, packets);
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
        ByteBuf payload = PollingPayloadEncoder.encode(ctx.alloc(), batch);
        responses.payload(ctx, req, payload, extra);
    }

    @Override
    public void close() {
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
