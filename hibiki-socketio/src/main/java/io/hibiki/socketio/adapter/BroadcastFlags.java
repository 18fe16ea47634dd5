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

    public static final BroadcastFlags NONE = new BroadcastFlags(false, true, false, null);

    public BroadcastFlags withVolatile() {
        return new BroadcastFlags(true, compress, local, timeout);
    }

    public BroadcastFlags withCompress(boolean on) {
        return new BroadcastFlags(volatileEmit, on, local, timeout);
    }

    public BroadcastFlags withLocal() {
        return new BroadcastFlags(volatileEmit, compress, true, timeout);
    }

    public BroadcastFlags withTimeout(Duration d) {
        return new BroadcastFlags(volatileEmit, compress, local, d);
    }
}
