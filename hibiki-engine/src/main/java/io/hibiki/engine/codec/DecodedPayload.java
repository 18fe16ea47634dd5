package io.hibiki.engine.codec;

import java.util.List;

/**
 * A long-polling payload as far as it could be read: the packets before the first bad one, and what was wrong
 * with that one ({@code null} when every packet was good). Node's parser works the same way: the good packets
 * before an error are delivered, then the session ends.
 */
public record DecodedPayload(List<EnginePacket> packets, String error) {

    public DecodedPayload {
        // A view, not a copy: the decoder hands over a list of its own, once per POST.
        packets = java.util.Collections.unmodifiableList(packets);
    }
}
