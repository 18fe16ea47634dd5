package io.hibiki.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hibiki.engine.CloseReason;
import io.hibiki.engine.EngineMessage;
import io.hibiki.engine.EngineRequest;
import io.hibiki.engine.EngineSocket;
import io.hibiki.socketio.adapter.BroadcastFlags;
import io.hibiki.socketio.adapter.EncodedMessages;
import io.hibiki.socketio.parser.Packet;
import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.socketio.parser.MessageDecoder;
import io.hibiki.socketio.parser.MsgPackPacketDecoder;
import io.hibiki.socketio.parser.PacketDecoder;
import io.hibiki.socketio.parser.PacketParseException;
import io.hibiki.socketio.parser.PacketType;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO connection seen by Socket.IO: decodes its packets, routes them to the socket of their
 * namespace, and writes encoded packets back. Its state belongs to the connection's event loop.
 */
final class Client {

    private static final Logger log = LoggerFactory.getLogger(Client.class);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SocketIoServer server;
    private final EngineSocket conn;
    private final MessageDecoder decoder;
    private final ServerObserver observer;
    // Both change only on the connection's loop, a few times in its life, and are read on every packet: small
    // immutable copies replaced on change cost an idle connection far less than a HashMap and a HashSet.
    private Map<String, Socket> sockets = Map.of();
    /**
     * Namespaces asked for whose middleware has not decided yet: they count against maxNamespacesPerClient, and a
     * repeated CONNECT for one of them is ignored (it would make a second socket that nothing tracks).
     */
    private Set<String> joining = Set.of();
    private final Executor dispatcher;
    private final java.util.function.Function<String, Namespace> namespaces;
    private ScheduledFuture<?> connectTimer;

    Client(SocketIoServer server, EngineSocket conn) {
        this(server, conn, server::namespaceFor, server.options().observer());
    }

    /**
     * {@code namespaces} finds the namespace a CONNECT names (the warm-up's client sees only its own, and no
     * observer hears it).
     */
    Client(SocketIoServer server, EngineSocket conn, java.util.function.Function<String, Namespace> namespaces,
           ServerObserver observer) {
        this.server = server;
        this.conn = conn;
        this.namespaces = namespaces;
        this.observer = observer;
        SocketIoOptions o = server.options();
        // One packet's attachments together are bounded like one message.
        this.decoder = o.parser() == PacketParser.MSGPACK ? new MsgPackPacketDecoder()
                : new PacketDecoder(server.packetReader(), o.maxAttachments(), o.engine().maxHttpBufferSize());
        this.dispatcher = o.listenerExecutor() == null ? Runnable::run
                : new SerialExecutor(server.listenerLane(conn.request().remoteAddress()));
        conn.onMessage(this::onText);
        conn.onBinary(this::onBinary);
        conn.onClose(this::onEngineClose);
        connectTimer = conn.executor().schedule(() -> {
            if (sockets.isEmpty() && conn.isOpen()) {
                log.debug("connection {} joined no namespace within {}", conn.id(), o.connectTimeout());
                conn.close();
            }
        }, o.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    EngineSocket conn() {
        return conn;
    }

    boolean isOpen() {
        return conn.isOpen();
    }

    /** Runs on the connection's loop. */
    void execute(Runnable task) {
        if (conn.executor().inEventLoop()) {
            task.run();
        } else {
            conn.executor().execute(task);
        }
    }

    /** Runs user code: inline on the loop, or in order on the listener executor. */
    void dispatch(Runnable task) {
        dispatcher.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("listener failed on connection {}", conn.id(), e);
            }
        });
    }

    private void onText(String text) {
        if (observer != ServerObserver.NONE) {
            // Its size as it came (UTF-8), counted without encoding it again.
            observer.bytesReceived(io.netty.buffer.ByteBufUtil.utf8Bytes(text));
        }
        Packet packet;
        try {
            packet = decoder.decodeText(text);
        } catch (PacketParseException e) {
            parseError(e);
            return;
        }
        if (packet != null) {
            onPacket(packet);
        }
    }

    private void onBinary(byte[] data) {
        if (observer != ServerObserver.NONE) {
            observer.bytesReceived(data.length);
        }
        Packet packet;
        try {
            packet = decoder.decodeBinary(data);
        } catch (PacketParseException e) {
            parseError(e);
            return;
        }
        if (packet != null) {
            onPacket(packet);
        }
    }

    private void parseError(PacketParseException e) {
        log.debug("connection {}: parse error: {}", conn.id(), e.getMessage());
        conn.close(CloseReason.PARSE_ERROR);
    }

    private void onPacket(Packet packet) {
        Socket socket = sockets.get(packet.namespace());
        if (packet.type() == PacketType.CONNECT && socket == null) {
            connect(packet.namespace(), (JsonNode) packet.data());
            return;
        }
        if (socket == null || packet.type() == PacketType.CONNECT || packet.type() == PacketType.CONNECT_ERROR) {
            // A client out of step with the server (a second CONNECT, a packet for a namespace it is not in, or a
            // CONNECT_ERROR, which only servers send): Node ends the connection, and so do we.
            log.debug("connection {}: {} for namespace {} in the wrong state; closing", conn.id(), packet.type(),
                    packet.namespace());
            conn.close();
            return;
        }
        socket.onPacket(packet);
    }

    private void connect(String name, JsonNode auth) {
        if (joining.contains(name)) {
            // Its middleware is still deciding; a second socket for it would be one nothing tracks.
            return;
        }
        if (sockets.size() + joining.size() >= server.options().maxNamespacesPerClient()) {
            log.debug("connection {}: refusing namespace {}, already in {}", conn.id(), name,
                    sockets.size() + joining.size());
            refuse(name, "Too many namespaces", null);
            return;
        }
        Namespace namespace = namespaces.apply(name);
        if (namespace == null) {
            refuse(name, "Invalid namespace", null);
            return;
        }
        joining = with(joining, name);
        namespace.connect(this, auth);
    }

    void refuse(String namespace, String message, Object data) {
        joining = without(joining, namespace);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message", message);
        if (data != null) {
            payload.put("data", data);
        }
        writePacket(Packet.connectError(namespace, payload));
    }

    void attach(String namespace, Socket socket) {
        joining = without(joining, namespace);
        Map<String, Socket> next = new HashMap<>(sockets);
        next.put(namespace, socket);
        sockets = Map.copyOf(next);
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }

    void detach(String namespace, Socket socket) {
        if (sockets.get(namespace) == socket) {
            Map<String, Socket> next = new HashMap<>(sockets);
            next.remove(namespace);
            sockets = Map.copyOf(next);
        }
    }

    private static Set<String> with(Set<String> set, String element) {
        Set<String> next = new HashSet<>(set);
        next.add(element);
        return Set.copyOf(next);
    }

    private static Set<String> without(Set<String> set, String element) {
        if (!set.contains(element)) {
            return set;
        }
        Set<String> next = new HashSet<>(set);
        next.remove(element);
        return Set.copyOf(next);
    }

    /** Writes an encoded packet; false when dropped (closed, or volatile on a busy transport). */
    boolean write(EncodedMessages packet, BroadcastFlags flags) {
        if (!conn.isOpen() || (flags.volatileEmit() && !conn.isWritable())) {
            return false;
        }
        for (EngineMessage m : packet.messages()) {
            // Every recipient of one encoded packet has the same flags, so marking the shared message is safe.
            conn.send(flags.compress() ? m : m.uncompressed());
        }
        return true;
    }

    void writePacket(Packet packet) {
        EncodedMessages encoded = EncodedMessages.of(server.encoder().encode(packet));
        try {
            write(encoded, BroadcastFlags.NONE);
        } finally {
            encoded.release();
        }
    }

    /** Every namespace leaves ("server namespace disconnect"), then the connection closes. */
    void disconnectAll() {
        for (Socket s : sockets.values()) {
            s.disconnectNow();
        }
        conn.close();
    }

    private void onEngineClose(CloseReason reason, String description) {
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        decoder.reset();
        DisconnectReason r = DisconnectReason.of(reason);
        for (Socket s : sockets.values()) {
            s.onClose(r);
        }
    }

    Handshake handshake(JsonNode auth) {
        EngineRequest req = conn.request();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : req.headers().names()) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", req.headers().getAll(name)));
        }
        Map<String, String> query = new LinkedHashMap<>();
        req.query().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        String address = req.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
                : String.valueOf(req.remoteAddress());
        String origin = req.origin();
        String host = headers.get("host");
        boolean xdomain = origin != null && host != null && !origin.endsWith("//" + host);
        JsonNode a = auth != null && auth.isObject() ? auth : JsonNodeFactory.instance.objectNode();
        return new Handshake(headers, HTTP_DATE.format(req.time()), address, xdomain, req.secure(),
                req.time().toEpochMilli(), req.uri(), query, a);
    }
}
