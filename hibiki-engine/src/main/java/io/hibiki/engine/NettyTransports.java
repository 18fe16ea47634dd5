package io.hibiki.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** Picks epoll where the native library loads, NIO elsewhere. */
final class NettyTransports {

    private NettyTransports() {
    }

    /**
     * One I/O thread per core: more threads than cores only add context switches, and a broadcast wakes every
     * loop that holds a recipient.
     */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    static EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Class<? extends ServerChannel> serverChannelClass() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static String name() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }
}
