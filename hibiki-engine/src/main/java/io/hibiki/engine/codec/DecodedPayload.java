package io.hibiki.engine.codec;

import java.util.List;

/**
 * A long-polling payload as far as it could be read: the packets before the first bad one, and what was wrong
 * with that one ({@code null} when every packet was good). Node's parser works the same way: the good packets
 * before an error are delivered, then the session ends.
 *
 * @param packets the packets read before the first bad one, in payload order; never {@code null}, read-only
 * @param error   what was wrong with the first bad packet, or {@code null} when the whole payload was read
 */
public record DecodedPayload(List<EnginePacket> packets, String error) {

    /**
     * Wraps the packet list in a read-only view without copying it.
     *
     * @param packets the packets read so far; the caller must not change the list afterwards
     * @param error   the reason reading stopped, or {@code null} when every packet was good
     */
    public DecodedPayload {
        // A view, not a copy: the decoder hands over a list of its own, once per POST.
        packets = java.util.Collections.unmodifiableList(packets);
    }
}
