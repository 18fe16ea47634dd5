package io.hibiki.adminui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.engine.Transport;
import io.hibiki.socketio.Args;
import io.hibiki.socketio.BroadcastOperator;
import io.hibiki.socketio.Namespace;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the Socket.IO admin UI ({@code @socket.io/admin-ui} 0.5), as Node's {@code instrument(io,
 * opts)}: the admin namespace with its sign-in, this server's stats to every admin every 2 s (through the adapter, so
 * an admin connected to any node of a cluster sees every node, Node ones running {@code instrument()} included),
 * the list of sockets, socket-by-socket events in development mode, and the commands (emit, join, leave,
 * disconnect) applied across the cluster. The UI itself is served by {@link AdminUiFiles}.
 *
 * <p>What Node's version has and this one does not yet: the aggregated traffic counters (packets and bytes per
 * second, for the dashboard's charts; the feature is not announced) and transport-upgrade updates (the UI shows a
 * socket's transport as of its connection).
 */
public final class AdminUi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminUi.class);
    /** Password checks at once: each costs a bcrypt round (tens of milliseconds); more wait, then are refused. */
    private static final int SIGN_IN_QUEUE = 16;

    private final SocketIoServer io;
    private final AdminUiOptions options;
    private final Namespace admin;
    private final AdminSessions sessions;
    private final List<String> features;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    /** Admin socket id → the session id it signed in with, told to it once connected. */
    private final Map<String, String> newSessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor signIns;
    private final ScheduledFuture<?> stats;

    private AdminUi(SocketIoServer io, AdminUiOptions options) {
        this.io = io;
        this.options = options;
        this.sessions = new AdminSessions(options.maxSessions(), options.sessionTtl());
        this.features = options.readonly() ? new ArrayList<>()
                : new ArrayList<>(List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"));
        if (options.development()) {
            features.add("ALL_EVENTS");
        }
        this.admin = io.of(options.namespace());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hibiki-admin-ui");
            t.setDaemon(true);
            return t;
        });
        this.signIns = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(SIGN_IN_QUEUE), r -> {
                    Thread t = new Thread(r, "hibiki-admin-ui-sign-in");
                    t.setDaemon(true);
                    return t;
                });
        if (options.authenticated()) {
            admin.use(this::authenticate);
        } else {
            log.warn("admin UI without authentication at {}: anyone reaching the server can command it",
                    options.namespace());
        }
        admin.onConnection(this::adminConnected);
        io.onNamespace(this::watch);
        long every = options.statsInterval().toMillis();
        this.stats = timer.scheduleAtFixedRate(this::emitStats, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Instruments a server for the admin UI.
     *
     * @param io      the server
     * @param options authentication, mode and names
     * @return the instrumentation; {@link #close()} stops its timer
     */
    public static AdminUi instrument(SocketIoServer io, AdminUiOptions options) {
        return new AdminUi(io, options);
    }

    // ---- sign-in ----

    private void authenticate(Socket socket, io.hibiki.socketio.Middleware.Next next) {
        JsonNode auth = socket.handshake().auth();
        if (sessions.valid(auth.path("sessionId").asText(null))) {
            next.ok();
            return;
        }
        String username = auth.path("username").asText(null);
        String password = auth.path("password").asText(null);
        if (!options.username().equals(username) || password == null) {
            next.fail("invalid credentials");
            return;
        }
        try {
            signIns.execute(() -> {
                boolean ok;
                try {
                    ok = OpenBSDBCrypt.checkPassword(options.passwordHash(), password.getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    ok = false;
                }
                if (ok) {
                    newSessions.put(socket.id(), sessions.create());
                    next.ok();
                } else {
                    next.fail("invalid credentials");
                }
            });
        } catch (RejectedExecutionException e) {
            next.fail("too many sign-in attempts, try again");
        }
    }

    private void adminConnected(Socket socket) {
        String session = newSessions.remove(socket.id());
        if (session != null) {
            socket.emit("session", session);
        }
        if (!options.readonly()) {
            socket.on("emit", (args, ack) -> onEmit(args));
            socket.on("join", (args, ack) -> membership(args, true));
            socket.on("leave", (args, ack) -> membership(args, false));
            socket.on("_disconnect", (args, ack) -> onDisconnect(args));
        }
        socket.emit("config", Map.of("supportedFeatures", features));
        if (options.development()) {
            allSockets().thenAccept(all -> socket.emit("all_sockets", all)).exceptionally(e -> {
                log.debug("admin UI: sockets not listed: {}", e.toString());
                return null;
            });
        }
    }

    // ---- commands, applied across the cluster by the adapter ----

    /** {@code emit(nsp, filter, event, ...args)}. */
    private void onEmit(Args args) {
        Namespace ns = known(args, 0);
        if (ns == null || args.size() < 3 || !args.get(2).isTextual()) {
            return;
        }
        Object[] rest = args.values().subList(3, args.size()).toArray();
        target(ns, args.get(1)).emit(args.getString(2), rest);
    }

    /** {@code join(nsp, room, filter)} / {@code leave(nsp, room, filter)}. */
    private void membership(Args args, boolean join) {
        Namespace ns = known(args, 0);
        if (ns == null || args.size() < 2 || !args.get(1).isTextual()) {
            return;
        }
        BroadcastOperator to = target(ns, args.size() > 2 ? args.get(2) : null);
        if (join) {
            to.socketsJoin(args.getString(1));
        } else {
            to.socketsLeave(args.getString(1));
        }
    }

    /** {@code _disconnect(nsp, close, filter)}. */
    private void onDisconnect(Args args) {
        Namespace ns = known(args, 0);
        if (ns == null) {
            return;
        }
        boolean close = args.size() > 1 && args.get(1).asBoolean(false);
        target(ns, args.size() > 2 ? args.get(2) : null).disconnectSockets(close);
    }

    /** A namespace this server has; the UI cannot create one by naming it. */
    private Namespace known(Args args, int index) {
        return args.size() > index && args.get(index).isTextual() ? namespaces.get(args.getString(index)) : null;
    }

    private static BroadcastOperator target(Namespace ns, JsonNode filter) {
        return filter != null && filter.isTextual() && !filter.asText().isEmpty() ? ns.in(filter.asText())
                : ns.except();
    }

    // ---- watching ----

    private void watch(Namespace ns) {
        namespaces.put(ns.name(), ns);
        if (options.development()) {
            ns.onConnection(socket -> socketConnected(ns, socket));
            ns.onRoomJoined((room, id) -> admin.emit("room_joined", ns.name(), room, id, SocketView.now()));
            ns.onRoomLeft((room, id) -> admin.emit("room_left", ns.name(), room, id, SocketView.now()));
        }
    }

    private void socketConnected(Namespace ns, Socket socket) {
        Map<String, Object> adminData = new LinkedHashMap<>();
        adminData.put("clientId", socket.conn().id().substring(0, Math.min(12, socket.conn().id().length())));
        adminData.put("transport", socket.conn().transport().toString().toLowerCase(java.util.Locale.ROOT));
        socket.data().put("_admin", adminData);
        String nsp = ns.name();
        var d = socket.details();
        admin.emit("socket_connected", SocketView.of(d.id(), nsp, d.handshake(), d.rooms(), d.data()),
                SocketView.now());
        if (ns != admin) {
            socket.onAny((event, args) -> admin.emit("event_received", nsp, socket.id(), eventArgs(event, args),
                    SocketView.now()));
            socket.onAnyOutgoing((event, args) -> admin.emit("event_sent", nsp, socket.id(), eventArgs(event, args),
                    SocketView.now()));
        }
        socket.onDisconnect(reason -> admin.emit("socket_disconnected", nsp, socket.id(), reason.text(),
                SocketView.now()));
    }

    private static List<Object> eventArgs(String event, List<?> args) {
        List<Object> all = new ArrayList<>(args.size() + 1);
        all.add(event);
        all.addAll(args);
        return all;
    }

    /** Every socket of every namespace on every node (fetchSockets goes through the adapter). */
    private CompletableFuture<List<Map<String, Object>>> allSockets() {
        List<CompletableFuture<List<Map<String, Object>>>> each = new ArrayList<>();
        for (Namespace ns : namespaces.values()) {
            each.add(ns.fetchSockets().thenApply(sockets -> {
                List<Map<String, Object>> views = new ArrayList<>(sockets.size());
                for (RemoteSocket s : sockets) {
                    views.add(SocketView.of(s.id(), ns.name(), s.handshake(), s.rooms(), s.data()));
                }
                return views;
            }));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Map<String, Object>> all = new ArrayList<>();
            each.forEach(f -> all.addAll(f.join()));
            return all;
        });
    }

    private void emitStats() {
        try {
            List<Map<String, Object>> nsps = new ArrayList<>();
            Set<String> polling = new HashSet<>();
            for (Namespace ns : namespaces.values()) {
                nsps.add(Map.of("name", ns.name(), "socketsCount", ns.sockets().size()));
                for (Socket s : ns.sockets().values()) {
                    if (s.conn().transport() == Transport.POLLING) {
                        polling.add(s.conn().id());
                    }
                }
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("serverId", options.serverId());
            stats.put("hostname", AdminUiOptions.hostname());
            stats.put("pid", ProcessHandle.current().pid());
            stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
            stats.put("clientsCount", io.engine().clientsCount());
            stats.put("pollingClientsCount", polling.size());
            stats.put("aggregatedEvents", List.of());
            stats.put("namespaces", nsps);
            admin.emit("server_stats", stats);
        } catch (RuntimeException e) {
            log.warn("admin UI stats not sent", e);
        }
    }

    @Override
    public void close() {
        stats.cancel(false);
        timer.shutdownNow();
        signIns.shutdownNow();
    }
}
