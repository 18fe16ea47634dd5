package io.hibiki.socketio.adapter.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.BroadcastOptions;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.parser.PacketType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shapes Node's {@code socket.io-adapter} puts into cluster messages, shared by every adapter that speaks its
 * {@code ClusterAdapter} envelope {@code {type, data, uid, nsp}}: message types, ids, packet and options maps,
 * and reading them back from a peer (JSON or MessagePack decoded to plain Java values alike).
 */
public final class ClusterWire {

    /** A node announcing itself when its adapter starts; every peer answers with a heartbeat. */
    public static final int INITIAL_HEARTBEAT = 1;
    /** A node saying it is alive (sent when it has published nothing for the heartbeat interval). */
    public static final int HEARTBEAT = 2;
    /** An emit to rooms, with a {@code requestId} when acks are wanted. */
    public static final int BROADCAST = 3;
    /** {@code socketsJoin}. */
    public static final int SOCKETS_JOIN = 4;
    /** {@code socketsLeave}. */
    public static final int SOCKETS_LEAVE = 5;
    /** {@code disconnectSockets}. */
    public static final int DISCONNECT_SOCKETS = 6;
    /** {@code fetchSockets}, answered by every node. */
    public static final int FETCH_SOCKETS = 7;
    /** One node's sockets for a {@code fetchSockets}. */
    public static final int FETCH_SOCKETS_RESPONSE = 8;
    /** {@code serverSideEmit}, with a {@code requestId} when acks are wanted. */
    public static final int SERVER_SIDE_EMIT = 9;
    /** One node's ack to a {@code serverSideEmit}. */
    public static final int SERVER_SIDE_EMIT_RESPONSE = 10;
    /** How many of its clients a node asked for an ack of a broadcast. */
    public static final int BROADCAST_CLIENT_COUNT = 11;
    /** One client's ack to a broadcast. */
    public static final int BROADCAST_ACK = 12;
    /** A node's adapter closing: its peers stop waiting for it. */
    public static final int ADAPTER_CLOSE = 13;

    /** The uid Node's emitters write; not a node, never counted as one. */
    public static final String EMITTER_UID = "emitter";

    /** Types whose data may carry binary: adapters switch these to MessagePack (or an attachment) when they do. */
    public static final Set<Integer> MAY_CARRY_BINARY = Set.of(BROADCAST, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT,
            SERVER_SIDE_EMIT_RESPONSE, BROADCAST_ACK);

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterWire() {
    }

    /**
     * Eight random bytes in hex, as Node's adapters make uids and request ids.
     *
     * @return 16 lowercase hex digits
     */
    public static String randomId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * A data map in field order: {@code data("packet", p, "opts", o)}.
     *
     * @param kv keys (strings) and values, alternating
     * @return a mutable map keeping that order
     */
    public static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * An event packet as the envelope carries it: {@code {type: 2, data}} (the namespace travels in the envelope;
     * never an ack id, since each receiving node numbers the acks of its own clients).
     *
     * @param p the packet
     * @return the map, its data as the packet holds it (turned into JSON or MessagePack once, with the envelope)
     */
    public static Map<String, Object> packet(Packet p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", 2);
        m.put("data", p.data());
        return m;
    }

    /**
     * The options map {@code {rooms, except, flags}}; flags as Node writes them (absent ones omitted, never local).
     *
     * @param o         the options
     * @param withFlags whether to write the flags (Node's classic requests leave them out)
     * @return a mutable map
     */
    public static Map<String, Object> opts(BroadcastOptions o, boolean withFlags) {
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

    /**
     * Options read from a peer.
     *
     * @param raw the decoded options map
     * @return the options; every socket when {@code raw} is not a map
     */
    public static BroadcastOptions readOpts(Object raw) {
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

    /**
     * Room names; Node tolerates numeric rooms, which are read as their decimal text.
     *
     * @param raw a decoded list
     * @return the names in order, without duplicates; empty when {@code raw} is not a list
     */
    public static Set<String> rooms(Object raw) {
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

    /**
     * A peer's packet map as an event packet for local delivery.
     *
     * @param raw       the decoded packet map
     * @param namespace the namespace it is delivered in
     * @return the packet, or {@code null} when {@code raw} is not an event (or binary event) with data
     */
    public static Packet readPacket(Object raw, String namespace) {
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

    /**
     * Whether a tree holds binary anywhere (then JSON would not carry it).
     *
     * @param node the tree
     * @return {@code true} when some node in it is binary
     */
    public static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasBinary(child)) {
                return true;
            }
        }
        return false;
    }
}
