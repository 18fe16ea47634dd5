package io.hibiki.socketio.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.parser.EncodedPacket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection state recovery on one node: recent broadcast events with their offsets, and dropped sessions,
 * both kept for the recovery window. Offsets are this store's prefix plus a counter, so an offset from a
 * previous process is simply not found (and the client falls back to a fresh session).
 */
final class RecoveryStore {

    /**
     * One stored event: its arguments either as the JSON text of the encoded packet (the usual case: a few hundred
     * bytes, where the application's objects it came from often take several kilobytes) or, for an event with
     * binary attachments, as the original list.
     */
    private record StoredPacket(String offset, String json, List<Object> data, BroadcastOptions opts, long at) {

        List<Object> arguments() {
            if (json == null) {
                return data;
            }
            try {
                List<Object> args = new ArrayList<>();
                READER.readTree(json).forEach(args::add);
                return args;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored packet is not JSON", e);
            }
        }
    }

    private static final ObjectMapper READER = new ObjectMapper();

    private record StoredSession(PersistedSession session, long at) {
    }

    private final long windowNanos;
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();
    private final ConcurrentLinkedDeque<StoredPacket> packets = new ConcurrentLinkedDeque<>();
    private final ConcurrentHashMap<String, StoredSession> sessions = new ConcurrentHashMap<>();

    RecoveryStore(Duration window) {
        this.windowNanos = window.toNanos();
        this.prefix = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "-";
    }

    /** A new offset, to be the last argument of the event then given to {@link #store}. */
    String nextOffset() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }

    /**
     * Keeps an event for the window: its arguments ({@code data}, ending with {@code offset}) and, when it has no
     * binary attachments, the encoded packet text, which is kept instead of the objects.
     */
    void store(String offset, List<Object> data, EncodedPacket encoded, BroadcastOptions opts) {
        long now = System.nanoTime();
        String json = null;
        if (encoded.attachments().isEmpty()) {
            // The packet text is the type digit, an optional "/namespace," (a namespace ends at the first comma)
            // and the JSON array of arguments; stored events carry no ack id.
            String text = encoded.text();
            json = text.substring(text.length() > 1 && text.charAt(1) == '/' ? text.indexOf(',') + 1 : 1);
        }
        packets.add(new StoredPacket(offset, json, json == null ? data : null, opts, now));
        expirePackets(now);
    }

    void persist(PersistedSession session) {
        long now = System.nanoTime();
        sessions.put(session.pid(), new StoredSession(session, now));
        expire(now);
    }

    /** The session with the packets it missed after {@code offset}, or null (unknown, expired, offset gone). */
    PersistedSession restore(String pid, String offset) {
        long now = System.nanoTime();
        expire(now);
        StoredSession stored = sessions.remove(pid);
        if (stored == null) {
            return null;
        }
        PersistedSession s = stored.session();
        List<List<Object>> missed = new ArrayList<>();
        boolean found = false;
        for (StoredPacket p : packets) {
            if (found) {
                if (wouldReceive(s.rooms(), p.opts())) {
                    missed.add(p.arguments());
                }
            } else if (p.offset().equals(offset)) {
                found = true;
            }
        }
        if (!found) {
            return null;
        }
        return new PersistedSession(s.sid(), s.pid(), s.rooms(), s.data(), missed);
    }

    private void expirePackets(long now) {
        StoredPacket head;
        while ((head = packets.peekFirst()) != null && now - head.at() > windowNanos) {
            packets.pollFirst();
        }
    }

    private static boolean wouldReceive(Set<String> rooms, BroadcastOptions opts) {
        boolean included = opts.rooms().isEmpty() || opts.rooms().stream().anyMatch(rooms::contains);
        boolean excluded = opts.except().stream().anyMatch(rooms::contains);
        return included && !excluded;
    }

    private void expire(long now) {
        expirePackets(now);
        if (!sessions.isEmpty()) {
            for (Iterator<StoredSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().at() > windowNanos) {
                    it.remove();
                }
            }
        }
    }
}
