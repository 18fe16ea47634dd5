package io.hibiki.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated long-polling Socket.IO client: a keep-alive connection for GETs (always one waiting) and one for
 * POSTs. Joins the main namespace, answers pings, and hands EVENT packets to the same listener as
 * {@link SioClient}, with a slice holding one packet.
 */
public final class PollClient {

    private static final char SEPARATOR = '\u001e';

    private final String host;
    private final int port;
    private final SioClient.Listener listener;
    private final CompletableFuture<PollClient> connected = new CompletableFuture<>();
    private Channel getChannel;
    private Channel postChannel;
    private String sid;
    private boolean postInFlight;
    private final StringBuilder pendingPosts = new StringBuilder();

    PollClient(String host, int port, SioClient.Listener listener) {
        this.host = host;
        this.port = port;
        this.listener = listener;
    }

    CompletableFuture<PollClient> start(LoadGenerator gen) {
        Bootstrap b = new Bootstrap().group(gen.group())
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        b.clone().handler(init(true)).connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                connected.completeExceptionally(f.cause());
                return;
            }
            getChannel = ((io.netty.channel.ChannelFuture) f).channel();
            b.clone().handler(init(false)).connect(host, port).addListener(g -> {
                if (!g.isSuccess()) {
                    connected.completeExceptionally(g.cause());
                    return;
                }
                postChannel = ((io.netty.channel.ChannelFuture) g).channel();
                get();
            });
        });
        return connected;
    }

    private ChannelInitializer<Channel> init(boolean forGets) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(4 * 1024 * 1024),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                                if (forGets) {
                                    onPoll(res);
                                } else {
                                    onPosted();
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                connected.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
            }
        };
    }

    public boolean isOpen() {
        return getChannel != null && getChannel.isActive() && sid != null;
    }

    public Channel channel() {
        return getChannel;
    }

    private String uri() {
        return "/socket.io/?EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid);
    }

    private void get() {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri());
        req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
        getChannel.writeAndFlush(req);
    }

    /** Sends a packet (POSTs are serialised: one in flight, the rest batched into the next payload). */
    public void send(String packet) {
        if (!getChannel.eventLoop().inEventLoop()) {
            getChannel.eventLoop().execute(() -> send(packet));
            return;
        }
        if (pendingPosts.length() > 0) {
            pendingPosts.append(SEPARATOR);
        }
        pendingPosts.append(packet);
        if (!postInFlight) {
            post();
        }
    }

    private void post() {
        ByteBuf body = Unpooled.copiedBuffer(pendingPosts, CharsetUtil.UTF_8);
        pendingPosts.setLength(0);
        postInFlight = true;
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri(), body);
        req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
        req.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
        req.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        postChannel.writeAndFlush(req);
    }

    private void onPosted() {
        postInFlight = false;
        if (pendingPosts.length() > 0) {
            post();
        }
    }

    private void onPoll(FullHttpResponse res) {
        if (res.status().code() != 200) {
            connected.completeExceptionally(new IllegalStateException("poll failed: " + res.status()));
            getChannel.close();
            return;
        }
        ByteBuf body = res.content();
        int start = body.readerIndex();
        int end = body.writerIndex();
        int i = start;
        while (i <= end) {
            int sep = i < end ? body.indexOf(i, end, (byte) SEPARATOR) : -1;
            int stop = sep < 0 ? end : sep;
            if (stop > i) {
                onPacket(body.slice(i, stop - i));
            }
            if (sep < 0) {
                break;
            }
            i = sep + 1;
        }
        get();
    }

    private void onPacket(ByteBuf p) {
        byte type = p.getByte(p.readerIndex());
        if (type == '0' && sid == null) {
            String open = p.toString(CharsetUtil.UTF_8);
            int at = open.indexOf("\"sid\":\"") + 7;
            sid = open.substring(at, open.indexOf('"', at));
            send("40");
        } else if (type == '2') {
            send("3");
        } else if (type == '4' && p.readableBytes() > 1) {
            byte sio = p.getByte(p.readerIndex() + 1);
            if (sio == '0') {
                connected.complete(this);
            } else if (sio == '2') {
                listener.onEvent(null, p);
            } else if (sio == '3') {
                listener.onAck(null, 0, p);
            }
        }
    }

    public void close() {
        if (getChannel != null) {
            getChannel.close();
        }
        if (postChannel != null) {
            postChannel.close();
        }
    }
}
