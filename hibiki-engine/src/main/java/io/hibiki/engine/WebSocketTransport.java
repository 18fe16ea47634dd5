package io.hibiki.engine;

import io.hibiki.engine.codec.EnginePacket;
import io.hibiki.engine.codec.EnginePacketDecoder;
import io.hibiki.engine.codec.EngineParseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport: one Engine.IO packet per frame, text frames as {@code <type><data>}, binary frames as
 * raw message bytes. It is the last inbound handler of an upgraded channel.
 */
final class WebSocketTransport extends ChannelInboundHandlerAdapter implements SessionTransport {

    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    private final Channel channel;
    private EngineSession session;
    /** The frames so far of a fragmented message; touched on the channel's loop. */
    private CompositeByteBuf fragments;
    private boolean fragmentsBinary;

    WebSocketTransport(Channel channel) {
        this.channel = channel;
    }

    void attach(EngineSession session) {
        this.session = session;
        this.base64Binary = session.request().query().containsKey("b64");
    }

    /** Whether the client asked for binary as base64 text ({@code b64} in its query, as Node reads it). */
    private boolean base64Binary;

    @Override
    public Transport kind() {
        return Transport.WEBSOCKET;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                boolean binary = frame instanceof BinaryWebSocketFrame;
                if (fragments != null) {
                    throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                            "a new message began before the fragmented one ended");
                }
                if (frame.isFinalFragment()) {
                    deliver(frame.content(), binary);
                } else {
                    fragments = ctx.alloc().compositeBuffer();
                    fragmentsBinary = binary;
                    fragments.addComponent(true, frame.content().retain());
                }
            } else if (frame instanceof ContinuationWebSocketFrame) {
                onContinuation(frame);
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(WebSocketFrames.pong(frame.content()));
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(WebSocketFrames.close(WebSocketCloseStatus.NORMAL_CLOSURE))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } catch (CorruptedWebSocketFrameException | TooLongFrameException e) {
            releaseFragments();
            exceptionCaught(ctx, e);
        } finally {
            frame.release();
        }
    }

    /*
     * Fragmented messages are put together here rather than by Netty's WebSocketFrameAggregator: clients rarely
     * fragment, and one handler fewer in every pipeline is memory saved on each idle connection.
     */
    private void onContinuation(WebSocketFrame frame) {
        if (fragments == null) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                    "a continuation frame without a message to continue");
        }
        int max = session.server().options().maxHttpBufferSize();
        if ((long) fragments.readableBytes() + frame.content().readableBytes() > max) {
            throw new TooLongFrameException("fragmented message over " + max + " bytes");
        }
        fragments.addComponent(true, frame.content().retain());
        if (frame.isFinalFragment()) {
            CompositeByteBuf whole = fragments;
            fragments = null;
            try {
                deliver(whole, fragmentsBinary);
            } finally {
                whole.release();
            }
        }
    }

    private void deliver(ByteBuf content, boolean binary) {
        if (binary) {
            EnginePacket packet = EnginePacket.binaryMessage(ByteBufUtil.getBytes(content));
            session.execute(() -> session.onPacket(this, packet));
            return;
        }
        deliverText(session, this, content.toString(StandardCharsets.UTF_8));
    }

    /** A text message of a WebSocket transport, on any host: decoded here, handled on the session's loop. */
    static void deliverText(EngineSession session, SessionTransport from, String data) {
        EnginePacket packet;
        try {
            // A client with forceBase64 sends binary as "b" + base64 in a text frame; Node takes it.
            packet = EnginePacketDecoder.decodeTextOrBase64(data);
        } catch (EngineParseException e) {
            session.execute(() -> session.onParseError(from, e.getMessage()));
            return;
        }
        session.execute(() -> session.onPacket(from, packet));
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        EngineSession s = session;
        s.execute(() -> s.onTransportError(this, CloseReason.TRANSPORT_CLOSE, "websocket closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        EngineSession s = session;
        if (ctx.channel().isWritable()) {
            if (stalled != null) {
                stalled.cancel(false);
                stalled = null;
            }
            s.execute(() -> s.onTransportWritable(this));
        } else if (stalled == null) {
            long timeout = s.server().options().slowConsumerTimeout().toMillis();
            stalled = ctx.executor().schedule(() -> {
                stalled = null;
                if (!channel.isWritable()) {
                    log.debug("websocket {}: unwritable for {} ms, disconnecting a slow consumer", s.id(), timeout);
                    s.execute(() -> {
                        s.onTransportError(this, CloseReason.TRANSPORT_ERROR, "slow consumer");
                        dropSlowConsumer();
                    });
                }
            }, timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Fires when the channel has stayed unwritable for the slow-consumer timeout; touched on the channel's loop. */
    private io.netty.util.concurrent.ScheduledFuture<?> stalled;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A compressed message that inflates past maxHttpBufferSize is too big too, as a plain one would be.
        boolean tooBig = cause instanceof TooLongFrameException || cause instanceof DecompressionException;
        if (tooBig || cause instanceof CorruptedWebSocketFrameException) {
            log.debug("websocket {}: {}", session.id(), cause.getMessage());
            // Netty's frame decoder reports an oversized frame as corrupt with status 1009; it leaves the close
            // frame to us (closeOnProtocolViolation off), since no frame encoder may be there to write its own.
            WebSocketCloseStatus status = tooBig ? WebSocketCloseStatus.MESSAGE_TOO_BIG
                    : ((CorruptedWebSocketFrameException) cause).closeStatus();
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(WebSocketFrames.close(status)).addListener(ChannelFutureListener.CLOSE);
            }
        } else {
            log.debug("websocket {} failed", session.id(), cause);
            ctx.close();
        }
        EngineSession s = session;
        s.execute(() -> s.onTransportError(this, CloseReason.TRANSPORT_ERROR, cause.getMessage()));
    }

    @Override
    public boolean canWrite() {
        return channel.isActive();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void write(ArrayDeque<EngineMessage> queue) {
        EngineMessage m;
        while ((m = queue.poll()) != null) {
            if (m.isBinary() && base64Binary) {
                // The client asked for binary as text (b64=1, engine.io-client's forceBase64): "b" + base64.
                ByteBuf text = channel.alloc().buffer(1 + (m.content().readableBytes() + 2) / 3 * 4);
                text.writeByte('b');
                text.writeCharSequence(java.util.Base64.getEncoder().encodeToString(
                        io.netty.buffer.ByteBufUtil.getBytes(m.content())), StandardCharsets.US_ASCII);
                if (deflate) {
                    channel.write(new TextWebSocketFrame(text), channel.voidPromise());
                } else {
                    channel.write(WebSocketFrames.encode(text, false), channel.voidPromise());
                    text.release();
                }
            } else if (deflate) {
                // The extension encoder compresses each frame, so this connection gets its own frame object.
                ByteBuf bytes = m.content().retainedDuplicate();
                channel.write(m.compress() ? (m.isBinary() ? new BinaryWebSocketFrame(bytes)
                        : new TextWebSocketFrame(bytes)) : PerMessageDeflate.uncompressed(bytes, m.isBinary()),
                        channel.voidPromise());
            } else {
                channel.write(m.webSocketFrame().retainedDuplicate(), channel.voidPromise());
            }
            m.release();
        }
        LoopFlusher.flushLater(channel);
        long pending = SlowConsumers.pendingBytes(channel);
        if (pending > session.server().options().maxPendingBytes()) {
            log.debug("websocket {}: {} bytes pending, disconnecting a slow consumer", session.id(), pending);
            session.onClose(CloseReason.TRANSPORT_ERROR, "slow consumer");
            dropSlowConsumer();
        }
    }

    /**
     * Closes the connection of a client that does not read, at once: the polite close frame would only queue
     * behind the bytes it is not taking, and the connection (with everything queued for it) would stay open for
     * as long as the client keeps its socket open.
     */
    private void dropSlowConsumer() {
        channel.close();
    }

    /**
     * Called once the 101 answer is out, before the first frame: decides whether permessage-deflate was
     * negotiated (its encoder then sits in the pipeline). Without it every frame is encoded by
     * {@link WebSocketFrames}, so Netty's frame encoder leaves the pipeline: a handler context less per
     * connection, and one handler less for every write of a broadcast to pass.
     */
    void handshaken() {
        ChannelPipeline p = channel.pipeline();
        deflate = p.get(WebSocketExtensionEncoder.class) != null;
        WebSocketFrameEncoder encoder = p.get(WebSocketFrameEncoder.class);
        if (!deflate && encoder != null) {
            p.remove(encoder);
        }
    }

    /**
     * Whether data frames go out as Netty frame objects, for the deflate encoder to compress (control frames
     * never are: RFC 7692 compresses messages only, so they are bytes from {@link WebSocketFrames} either way).
     */
    private boolean deflate;

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(WebSocketFrames.close(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
            // A client that stopped reading never lets the close frame out; do not keep its connection for ever.
            channel.eventLoop().schedule(() -> {
                if (channel.isActive()) {
                    channel.close();
                }
            }, CLOSE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** How long a polite close may wait for the close frame to be written before the connection is cut. */
    private static final int CLOSE_TIMEOUT_SECONDS = 10;

    @Override
    public void discard() {
        channel.close();
    }
}
