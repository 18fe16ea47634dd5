package io.hibiki.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shapes Node's classic redis adapter puts on the wire: packet and options maps, ids, request types.
 * See {@code docs/redis-wire.md} §1.
 */
final class ClassicWire {

    static final int SOCKETS = 0;
    static final int ALL_ROOMS = 1;
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;
    static final int REMOTE_FETCH = 5;
    static final int SERVER_SIDE_EMIT = 6;
    static final int BROADCAST = 7;
    static final int BROADCAST_CLIENT_COUNT = 8;
    static final int BROADCAST_ACK = 9;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClassicWire() {
    }

    /** Six random characters, as uid2(6): adapter uids and request ids. */
    static String randomId() {
        StringBuilder sb = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * The packet map {type, data, nsp} with data as a tree (binary as binary nodes). Never an ack id: as in Node,
     * each receiving node numbers the acks of its own clients.
     */
    static Map<String, Object> packet(Packet p, ObjectMapper mapper) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", 2);
        m.put("data", p.data() instanceof JsonNode n ? n : mapper.valueToTree(p.data()));
        m.put("nsp", p.namespace());
        return m;
    }

    /** The options map {rooms, except, flags}; flags as Node writes them (absent ones omitted, never local). */
    static Map<String, Object> opts(BroadcastOptions o, boolean withFlags) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rooms", List.copyOf(o.rooms()));
        m.put("except", List.copyOf(o.except()));
        if (withFlags) {
            Map<String, Object> f = new LinkedHashMap<>();
            if (o.flags().volatileEmit()) {
                f.put("volatile", true);
            }
            if (!o.flags().compress()) {
                f.put("compress", false);
            }
            if (o.flags().timeout() != null) {
                f.put("timeout", o.flags().timeout().toMillis());
            }
            m.put("flags", f);
        }
        return m;
    }

    /** Options read from a peer (msgpack-decoded map or JSON tree alike, via plain Java values). */
    static BroadcastOptions readOpts(Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            return BroadcastOptions.all();
        }
        BroadcastFlags flags = BroadcastFlags.NONE;
        if (m.get("flags") instanceof Map<?, ?> f) {
            if (Boolean.TRUE.equals(f.get("volatile"))) {
                flags = flags.withVolatile();
            }
            if (Boolean.FALSE.equals(f.get("compress"))) {
                flags = flags.withCompress(false);
            }
            if (f.get("timeout") instanceof Number n) {
                flags = flags.withTimeout(Duration.ofMillis(n.longValue()));
            }
        }
        return new BroadcastOptions(rooms(m.get("rooms")), rooms(m.get("except")), flags);
    }

    /** Room names; Node tolerates numeric rooms, which we read as their decimal text. */
    static Set<String> rooms(Object raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    out.add(Long.toString(n.longValue()));
                } else if (o != null) {
                    out.add(String.valueOf(o));
                }
            }
        }
        return out;
    }

    /** A peer's packet map as an event packet for local delivery, or null when it is not one. */
    static Packet readPacket(Object raw, String namespace) {
        if (!(raw instanceof Map<?, ?> m) || !(m.get("data") instanceof List<?> data) || data.isEmpty()) {
            return null;
        }
        Object type = m.get("type");
        if (!(type instanceof Number t) || (t.intValue() != 2 && t.intValue() != 5)) {
            return null;
        }
        long id = m.get("id") instanceof Number n ? n.longValue() : Packet.NO_ID;
        return new Packet(PacketType.EVENT, namespace, id, new ArrayList<>(data));
    }
}
