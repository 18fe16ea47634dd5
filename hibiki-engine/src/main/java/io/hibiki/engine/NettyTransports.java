package io.hibiki.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.function.Supplier;

/** The Netty classes behind each {@link IoTransport}. */
record NettyTransports(String name, Supplier<IoHandlerFactory> handlers,
                       Class<? extends ServerChannel> serverChannelClass) {

    /** Resolves a choice to what this machine supports, or fails saying why an explicit choice is unsupported. */
    static NettyTransports of(IoTransport choice) {
        return switch (choice) {
            case AUTO -> Epoll.isAvailable() ? epoll() : nio();
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("ioTransport EPOLL is not available here",
                            Epoll.unavailabilityCause());
                }
                yield epoll();
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("ioTransport IO_URING is not available here",
                            IoUring.unavailabilityCause());
                }
                yield new NettyTransports("io_uring", IoUringIoHandler::newFactory,
                        IoUringServerSocketChannel.class);
            }
            case NIO -> nio();
        };
    }

    private static NettyTransports epoll() {
        return new NettyTransports("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class);
    }

    private static NettyTransports nio() {
        return new NettyTransports("nio", NioIoHandler::newFactory, NioServerSocketChannel.class);
    }

    /**
     * One I/O thread per core: more threads than cores only add context switches, and a broadcast wakes every
     * loop that holds a recipient.
     */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlers.get());
    }
}
