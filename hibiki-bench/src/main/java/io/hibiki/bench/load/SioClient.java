package io.hibiki.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated Socket.IO client over WebSocket, speaking the framing directly (no client library): answers the
 * open packet with a namespace CONNECT, pings with pongs, and hands events and acks to a listener without
 * decoding JSON, so that the generator costs as little as possible per received message.
 */
public final class SioClient extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** What a scenario does with inbound traffic; runs on the generator's event loop. */
    public interface Listener {
        /** An EVENT frame: the whole text, starting at {@code 42}. */
        default void onEvent(SioClient client, ByteBuf frame) {
        }

        /** An ACK frame with its id. */
        default void onAck(SioClient client, long id, ByteBuf frame) {
        }
    }

    private final CompletableFuture<SioClient> connected = new CompletableFuture<>();
    private final Listener listener;
    private Channel channel;
    private volatile boolean open;

    SioClient(Listener listener) {
        this.listener = listener;
    }

    CompletableFuture<SioClient> connected() {
        return connected;
    }

    public Channel channel() {
        return channel;
    }

    public boolean isOpen() {
        return open && channel.isActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            connected.completeExceptionally(new IllegalStateException("websocket handshake timed out"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) {
            return;
        }
        ByteBuf c = frame.content();
        if (!c.isReadable()) {
            return;
        }
        byte type = c.getByte(c.readerIndex());
        switch (type) {
            case '0' -> ctx.writeAndFlush(new TextWebSocketFrame("40"));
            case '2' -> ctx.writeAndFlush(new TextWebSocketFrame("3"));
            case '4' -> onSocketIo(c);
            default -> {
            }
        }
    }

    private void onSocketIo(ByteBuf c) {
        if (c.readableBytes() < 2) {
            return;
        }
        byte sio = c.getByte(c.readerIndex() + 1);
        if (sio == '0') {
            open = true;
            connected.complete(this);
        } else if (sio == '2') {
            listener.onEvent(this, c);
        } else if (sio == '3') {
            long id = 0;
            for (int i = c.readerIndex() + 2; i < c.writerIndex(); i++) {
                byte b = c.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                id = id * 10 + (b - '0');
            }
            listener.onAck(this, id, c);
        } else if (sio == '4') {
            connected.completeExceptionally(new IllegalStateException("connect refused: " + c.toString(
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** Sends a Socket.IO packet text (e.g. {@code 42["join","r"]}) and flushes. */
    public void send(String packet) {
        channel.writeAndFlush(new TextWebSocketFrame(packet), channel.voidPromise());
    }

    /** Writes without flushing (batch, then {@link #flush()}). */
    public void write(String packet) {
        channel.write(new TextWebSocketFrame(packet), channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        connected.completeExceptionally(new IllegalStateException("closed before connecting"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connected.completeExceptionally(cause);
        ctx.close();
    }

    /** Parses the decimal number after {@code key} (e.g. {@code "t":}) in a frame; -1 when absent. */
    public static long numberAfter(ByteBuf frame, byte[] key) {
        int from = frame.readerIndex();
        int to = frame.writerIndex() - key.length;
        outer:
        for (int i = from; i <= to; i++) {
            for (int k = 0; k < key.length; k++) {
                if (frame.getByte(i + k) != key[k]) {
                    continue outer;
                }
            }
            long v = 0;
            boolean any = false;
            for (int j = i + key.length; j < frame.writerIndex(); j++) {
                byte b = frame.getByte(j);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
                any = true;
            }
            return any ? v : -1;
        }
        return -1;
    }
}
