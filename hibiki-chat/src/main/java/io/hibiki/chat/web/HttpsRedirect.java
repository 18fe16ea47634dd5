package io.hibiki.chat.web;

import io.hibiki.engine.HostName;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The plain-HTTP port of a chat that serves HTTPS: every request is answered {@code 308} to the same path on the
 * HTTPS port, for the host names the chat answers to (any other {@code Host} gets 421: this is no open redirect),
 * and the connection is closed. Nothing else is served in the clear.
 */
public final class HttpsRedirect implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private HttpsRedirect(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Listens on {@code host:port}; requests there are sent to {@code https://<their host>:httpsPort}. */
    public static HttpsRedirect listen(String host, int port, int httpsPort, Predicate<String> allowedHost,
                                       Duration headersTimeout) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(
                                    new ReadTimeoutHandler(headersTimeout.toMillis(), TimeUnit.MILLISECONDS),
                                    new HttpServerCodec(4096, 8192, 8192),
                                    new Redirector(httpsPort, allowedHost));
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            return new HttpsRedirect(group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Redirector extends SimpleChannelInboundHandler<HttpObject> {
        private final int httpsPort;
        private final Predicate<String> allowedHost;

        Redirector(int httpsPort, Predicate<String> allowedHost) {
            this.httpsPort = httpsPort;
            this.allowedHost = allowedHost;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest req)) {
                return; // a body: nobody reads it, the answer does not depend on it
            }
            String name = HostName.of(req.headers().get(HttpHeaderNames.HOST));
            FullHttpResponse res;
            if (name.isEmpty() || !allowedHost.test(name)) {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MISDIRECTED_REQUEST);
            } else {
                String path = req.uri().startsWith("/") ? req.uri() : "/";
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT);
                res.headers().set(HttpHeaderNames.LOCATION,
                        "https://" + name + (httpsPort == 443 ? "" : ":" + httpsPort) + path);
            }
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a timeout or a broken request: nothing to answer
        }
    }
}
