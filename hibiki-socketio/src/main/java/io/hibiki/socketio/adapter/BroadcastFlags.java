package io.hibiki.socketio.adapter;

import java.time.Duration;

/**
 * Modifiers of one emit, as Node's {@code BroadcastFlags}.
 *
 * @param volatileEmit drop the packet for a recipient whose transport cannot take it right now
 * @param compress     ask the transport to compress (honoured where permessage-deflate is on)
 * @param local        deliver on this node only, not to the rest of the cluster
 * @param timeout      how long to wait for acknowledgements, or {@code null}
 */
public record BroadcastFlags(boolean volatileEmit, boolean compress, boolean local, Duration timeout) {

    /** The flags of a plain emit: not volatile, compressed, to the whole cluster, no timeout. */
    public static final BroadcastFlags NONE = new BroadcastFlags(false, true, false, null);

    /**
     * These flags, made volatile.
     *
     * @return a copy with {@code volatileEmit} set
     */
    public BroadcastFlags withVolatile() {
        return new BroadcastFlags(true, compress, local, timeout);
    }

    /**
     * These flags, with compression asked for or not.
     *
     * @param on whether to ask the transport to compress
     * @return a copy with {@code compress} set to {@code on}
     */
    public BroadcastFlags withCompress(boolean on) {
        return new BroadcastFlags(volatileEmit, on, local, timeout);
    }

    /**
     * These flags, kept to this node.
     *
     * @return a copy with {@code local} set
     */
    public BroadcastFlags withLocal() {
        return new BroadcastFlags(volatileEmit, compress, true, timeout);
    }

    /**
     * These flags, with an acknowledgement timeout.
     *
     * @param d how long to wait for acknowledgements, or {@code null} to wait without limit
     * @return a copy with {@code timeout} set to {@code d}
     */
    public BroadcastFlags withTimeout(Duration d) {
        return new BroadcastFlags(volatileEmit, compress, local, d);
    }
}
