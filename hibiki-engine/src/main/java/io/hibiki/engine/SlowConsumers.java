package io.hibiki.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;

/**
 * What makes a client a slow consumer: its transport stays over the write high-water mark for longer than
 * {@code slowConsumerTimeout}, or more than {@code maxPendingBytes} wait for it. Either way it is disconnected,
 * so one stalled reader cannot hold the server's memory or delay the others.
 */
final class SlowConsumers {

    /** Unwritable above 1 MiB pending, writable again below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private SlowConsumers() {
    }

    /** Bytes queued in the channel and not yet written to the socket. */
    static long pendingBytes(Channel channel) {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }
}
