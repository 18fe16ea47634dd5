package io.hibiki.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import io.hibiki.socketio.parser.Packet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emits into a cluster of Socket.IO servers (Java or Node, classic Redis adapter) from a process that has no
 * clients of its own, byte-compatible with Node's {@code @socket.io/redis-emitter} 5.x: it only publishes, so
 * the servers never count it. See {@code docs/redis-wire.md} §2.
 * <pre>{@code
 * try (RedisEmitter emitter = RedisEmitter.create("redis://127.0.0.1:6379", "socket.io")) {
 *     emitter.to("room1").except("room2").emit("news", "hello", new byte[] {1, 2});
 *     emitter.of("/admin").in(socketId).socketsJoin("vip");
 * }
 * }</pre>
 * An emitter is an immutable value: {@code of}, {@code to}, {@code except} and the flags return a new emitter
 * sharing the same Redis connection, which {@link #close()} (on any of them) closes. If Redis is away, messages
 * are dropped and logged, never queued and never thrown (Redis pub/sub is at-most-once).
 */
public final class RedisEmitter implements AutoCloseable {

    /** The uid every emitter uses on the wire. */
    static final String UID = "emitter";
    private static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisConnection redis;
    private final String key;
    private final String nsp;
    private final Set<String> rooms;
    private final Set<String> except;
    private final Map<String, Object> flags;

    private RedisEmitter(RedisConnection redis, String key, String nsp, Set<String> rooms, Set<String> except,
                         Map<String, Object> flags) {
        this.redis = redis;
        this.key = key;
        this.nsp = nsp;
        this.rooms = Collections.unmodifiableSet(rooms);
        this.except = Collections.unmodifiableSet(except);
        this.flags = Collections.unmodifiableMap(flags);
    }

    /**
     * An emitter for the main namespace of the servers using {@code key} (Node's default is {@code socket.io}).
     * It opens one publishing connection to Redis; an unreachable Redis is retried in the background, not thrown.
     *
     * @param uri the Redis URI: {@code redis://host:port}, {@code rediss://…} for TLS, or
     *            {@code redis-cluster://host1:port1,host2:port2} for a Redis Cluster
     * @param key the channel prefix of the servers' adapters
     * @return an emitter for namespace {@code /}, with no rooms or flags; close it when done
     * @throws IllegalArgumentException if {@code uri} is not a valid Redis URI
     */
    public static RedisEmitter create(String uri, String key) {
        RedisConnection redis = new RedisConnection(uri, "hibiki-emitter-" + ClassicWire.randomId(), false);
        return new RedisEmitter(redis, key, "/", new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
    }

    /**
     * An emitter for the default key {@code socket.io}.
     *
     * @param uri the Redis URI, as for {@link #create(String, String)}
     * @return an emitter for namespace {@code /}, with no rooms or flags; close it when done
     * @throws IllegalArgumentException if {@code uri} is not a valid Redis URI
     */
    public static RedisEmitter create(String uri) {
        return create(uri, "socket.io");
    }

    /**
     * The same emitter for another namespace ({@code "admin"} means {@code "/admin"}), with no rooms or flags.
     *
     * @param namespace the namespace name, with or without its leading {@code /}
     * @return a new emitter on the same connection
     */
    public RedisEmitter of(String namespace) {
        String name = namespace.startsWith("/") ? namespace : "/" + namespace;
        return new RedisEmitter(redis, key, name, new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
    }

    /**
     * Targets members of these rooms too (a socket id is a room).
     *
     * @param more the rooms to add to those already selected
     * @return a new emitter on the same connection, with the rooms added
     */
    public RedisEmitter to(String... more) {
        Set<String> r = new LinkedHashSet<>(rooms);
        Collections.addAll(r, more);
        return new RedisEmitter(redis, key, nsp, r, new LinkedHashSet<>(except), new LinkedHashMap<>(flags));
    }

    /**
     * Same as {@link #to}.
     *
     * @param more the rooms to add to those already selected
     * @return a new emitter on the same connection, with the rooms added
     */
    public RedisEmitter in(String... more) {
        return to(more);
    }

    /**
     * Leaves out members of these rooms.
     *
     * @param more the rooms to add to those already excluded
     * @return a new emitter on the same connection, with the exclusions added
     */
    public RedisEmitter except(String... more) {
        Set<String> e = new LinkedHashSet<>(except);
        Collections.addAll(e, more);
        return new RedisEmitter(redis, key, nsp, new LinkedHashSet<>(rooms), e, new LinkedHashMap<>(flags));
    }

    /**
     * Lets each server drop the event for clients whose transport is busy.
     *
     * @return a new emitter on the same connection, with the {@code volatile} flag set
     */
    public RedisEmitter volatileEmit() {
        return withFlag("volatile", true);
    }

    /**
     * Asks the servers to compress (or not to) where the transport can.
     *
     * @param compress whether to compress; when never called the servers use their default
     * @return a new emitter on the same connection, with the {@code compress} flag set
     */
    public RedisEmitter compress(boolean compress) {
        return withFlag("compress", compress);
    }

    private RedisEmitter withFlag(String name, Object value) {
        Map<String, Object> f = new LinkedHashMap<>(flags);
        f.put(name, value);
        return new RedisEmitter(redis, key, nsp, new LinkedHashSet<>(rooms), new LinkedHashSet<>(except), f);
    }

    /**
     * Emits an event to every selected client of the cluster. Arguments are JSON-able values or {@code byte[]}.
     *
     * @param event the event name
     * @param args  the event's arguments, none or more
     * @throws IllegalArgumentException for a reserved event name ({@code connect}, {@code disconnect}, …), or for
     *                                  an argument that cannot be turned into JSON
     */
    public void emit(String event, Object... args) {
        if (RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
        String channel = key + "#" + nsp + "#" + (rooms.size() == 1 ? rooms.iterator().next() + "#" : "");
        redis.publish(channel, message(event, args));
    }

    /** The message {@link #emit} publishes: {@code ["emitter", packet, {rooms, flags, except}]}. */
    byte[] message(String event, Object... args) {
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        Collections.addAll(data, args);
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", List.copyOf(rooms));
        opts.put("flags", flags);
        opts.put("except", List.copyOf(except));
        return MsgPackWriter.write(List.of(UID, ClassicWire.packet(Packet.event(nsp, Packet.NO_ID, data), JSON), opts));
    }

    /**
     * Makes the selected sockets join rooms, on every server.
     *
     * @param join the rooms to join
     */
    public void socketsJoin(String... join) {
        membership(ClassicWire.REMOTE_JOIN, join);
    }

    /**
     * Makes the selected sockets leave rooms, on every server.
     *
     * @param leave the rooms to leave
     */
    public void socketsLeave(String... leave) {
        membership(ClassicWire.REMOTE_LEAVE, leave);
    }

    private void membership(int type, String[] target) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("type", type);
        req.put("opts", selection());
        req.put("rooms", List.of(target));
        request(req);
    }

    /**
     * Disconnects the selected sockets; with {@code close} also their underlying connections.
     *
     * @param close true to close the underlying connections too, false to disconnect from the namespace only
     */
    public void disconnectSockets(boolean close) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("type", ClassicWire.REMOTE_DISCONNECT);
        req.put("opts", selection());
        req.put("close", close);
        request(req);
    }

    /**
     * Sends an event to the servers' {@code serverSideEmit} listeners of this namespace (rooms and flags do not
     * apply). There are no acknowledgements: the emitter is not a server.
     *
     * @param event the event name
     * @param args  the event's arguments, JSON-able values
     * @throws IllegalArgumentException if an argument cannot be written as JSON
     */
    public void serverSideEmit(String event, Object... args) {
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        Collections.addAll(data, args);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("uid", UID);
        req.put("type", ClassicWire.SERVER_SIDE_EMIT);
        req.put("data", data);
        request(req);
    }

    private Map<String, Object> selection() {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", List.copyOf(rooms));
        opts.put("except", List.copyOf(except));
        return opts;
    }

    /** Publishes a JSON request (no uid, as Node's emitter sends them, except for serverSideEmit). */
    private void request(Map<String, Object> req) {
        try {
            redis.publish(key + "-request#" + nsp + "#", JSON.writeValueAsBytes(req));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("arguments are not JSON-able: " + e.getMessage(), e);
        }
    }

    /** Closes the Redis connection shared by this emitter and every emitter derived from it. */
    @Override
    public void close() {
        redis.close();
    }
}
