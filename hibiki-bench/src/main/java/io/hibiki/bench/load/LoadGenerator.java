package io.hibiki.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens many simulated clients to one server on one event loop thread, so the generator's CPU stays bounded
 * and measurable on a shared machine.
 */
public final class LoadGenerator implements AutoCloseable {

    private final EventLoopGroup group;
    /** TLS for the clients' connections ({@code wss://}), or null for plain WebSocket. */
    private volatile io.netty.handler.ssl.SslContext tls;

    public LoadGenerator(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Connects WebSocket clients over TLS with this context from now on (null: plain again). */
    public LoadGenerator tls(io.netty.handler.ssl.SslContext context) {
        this.tls = context;
        return this;
    }

    /**
     * Connects one client to {@code ws://host:port/socket.io/?EIO=4&transport=websocket}.
     *
     * @param deflate offer permessage-deflate, as browsers do
     */
    public CompletableFuture<SioClient> connect(String host, int port, boolean deflate, SioClient.Listener listener) {
        return connect(host, port, deflate, listener, null);
    }

    /** As {@link #connect(String, int, boolean, SioClient.Listener)}, from a given local address (null: any). */
    public CompletableFuture<SioClient> connect(String host, int port, boolean deflate, SioClient.Listener listener,
                                                java.net.InetSocketAddress local) {
        io.netty.handler.ssl.SslContext ssl = tls;
        URI uri = URI.create((ssl != null ? "wss://" : "ws://") + host + ":" + port
                + "/socket.io/?EIO=4&transport=websocket");
        SioClient client = new SioClient(listener);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(deflate)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(2_000_000)
                .handshakeTimeoutMillis(20_000)
                .build();
        new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc(), host, port));
                        }
                        p.addLast(new HttpClientCodec());
                        p.addLast(new HttpObjectAggregator(65536));
                        if (deflate) {
                            p.addLast(WebSocketClientCompressionHandler.INSTANCE);
                        }
                        p.addLast(new WebSocketClientProtocolHandler(config));
                        p.addLast(client);
                    }
                })
                .connect(new java.net.InetSocketAddress(host, port), local)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        client.connected().completeExceptionally(f.cause());
                    }
                });
        return client.connected();
    }

    /** Connects one long-polling client (two keep-alive HTTP connections). */
    public CompletableFuture<PollClient> connectPolling(String host, int port, SioClient.Listener listener) {
        return new PollClient(host, port, listener).start(this);
    }

    /** Connects {@code n} clients, at most {@code concurrency} handshakes at a time; fails after {@code timeoutSeconds}. */
    public List<SioClient> connectMany(String host, int port, int n, int concurrency, boolean deflate,
                                       Supplier<SioClient.Listener> listeners, long timeoutSeconds) throws Exception {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<SioClient>> futures = new ArrayList<>(n);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < n; i++) {
            if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("connecting timed out after " + i + " clients");
            }
            CompletableFuture<SioClient> f = connect(host, port, deflate, listeners.get());
            f.whenComplete((c, e) -> permits.release());
            futures.add(f);
        }
        List<SioClient> clients = new ArrayList<>(n);
        for (CompletableFuture<SioClient> f : futures) {
            clients.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return clients;
    }

    /** Closes the clients and waits for the closes to go out. */
    public static void closeAll(List<SioClient> clients) {
        List<io.netty.channel.ChannelFuture> closes = new ArrayList<>();
        for (SioClient c : clients) {
            closes.add(c.channel().close());
        }
        for (io.netty.channel.ChannelFuture f : closes) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
