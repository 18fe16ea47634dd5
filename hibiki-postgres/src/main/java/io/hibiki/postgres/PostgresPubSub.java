package io.hibiki.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.socketio.adapter.cluster.ClusterWire;
import io.hibiki.socketio.msgpack.MsgPackException;
import io.hibiki.socketio.msgpack.MsgPackReader;
import io.hibiki.socketio.msgpack.MsgPackWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's link to PostgreSQL, shared by its namespaces' adapters: a listening connection on a thread of its
 * own ({@code LISTEN "<prefix>#<nsp>"} per namespace, notifications read as they come, attachments fetched on the
 * same connection so messages are handed over in the order they were sent) and a publishing connection on another
 * (messages sent one at a time, in order; a bounded queue in front). Either connection is taken again from the data
 * source after a failure. After a gap (the listener was away, or a publish failed), once listening and publishing
 * work again, the gap listeners are told. See {@code docs/postgres-wire.md}.
 */
final class PostgresPubSub {

    private static final Logger log = LoggerFactory.getLogger(PostgresPubSub.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PostgreSQL's identifier limit (NAMEDATALEN - 1): longer channel names are refused by pg_notify. */
    static final int MAX_CHANNEL_BYTES = 63;
    private static final int POLL_MILLIS = 200;
    private static final long PUBLISH_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hibiki-postgres-timers");
        t.setDaemon(true);
        return t;
    });

    private final PostgresAdapterOptions options;
    private final AttachmentTable table;
    private final Map<String, PostgresAdapter> byChannel = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor publisher;
    private final Thread listener;
    private final ScheduledFuture<?> cleanup;
    private final AtomicBoolean gapPending = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private final Object sleeper = new Object();
    private volatile boolean listenerUp;
    private volatile boolean publisherUp = true;
    private volatile boolean closed;
    /** Publisher thread only. */
    private Connection publishing;
    private long publishRetryAt;
    private long lastProbe;

    PostgresPubSub(PostgresAdapterOptions options) {
        this.options = options;
        this.table = new AttachmentTable(options.tableName());
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(options.maxQueuedPublishes()), r -> {
                    Thread t = new Thread(r, "hibiki-postgres-publisher");
                    t.setDaemon(true);
                    return t;
                });
        this.listener = new Thread(this::listen, "hibiki-postgres-listener");
        listener.setDaemon(true);
        listener.start();
        long every = options.cleanupInterval().toMillis();
        this.cleanup = TIMERS.scheduleWithFixedDelay(this::scheduleCleanup, every, every, TimeUnit.MILLISECONDS);
    }

    /** The channel of a namespace; refused when PostgreSQL could not name it. */
    static String channel(String prefix, String namespace) {
        String channel = prefix + "#" + namespace;
        if (channel.getBytes(StandardCharsets.UTF_8).length > MAX_CHANNEL_BYTES) {
            throw new IllegalArgumentException("PostgreSQL channel \"" + channel + "\" is longer than "
                    + MAX_CHANNEL_BYTES + " bytes: use a shorter namespace or channel prefix");
        }
        return channel;
    }

    void register(String channel, PostgresAdapter adapter) {
        byChannel.put(channel, adapter);
    }

    void unregister(String channel) {
        byChannel.remove(channel);
    }

    boolean idle() {
        return byChannel.isEmpty();
    }

    void onGap(Runnable listener) {
        gapListeners.add(listener);
    }

    boolean linked() {
        return listenerUp && publisherUp;
    }

    // ---- publishing ----

    /**
     * Sends a message on a channel: as JSON in the NOTIFY itself, or, when it holds binary or its JSON is longer
     * than the threshold, as MessagePack in the attachments table with a header {@code {uid, type, attachmentId}}
     * in the NOTIFY. Encoded on the caller's thread, sent in order on the publisher's.
     */
    CompletableFuture<Void> publish(String channel, Map<String, Object> message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        JsonNode tree = JSON.valueToTree(message);
        String payload = null;
        byte[] attachment = null;
        if (ClusterWire.hasBinary(tree)) {
            attachment = MsgPackWriter.write(tree);
        } else {
            payload = tree.toString();
            // Its UTF-8 size, counted without encoding it (the driver encodes it once, to send it).
            if (io.netty.buffer.ByteBufUtil.utf8Bytes(payload) > options.payloadThreshold()) {
                attachment = MsgPackWriter.write(tree);
                payload = null;
            }
        }
        String json = payload;
        byte[] bytes = attachment;
        try {
            publisher.execute(() -> send(channel, tree, json, bytes, sent));
        } catch (RejectedExecutionException e) {
            gapPending.set(true);
            sent.completeExceptionally(new IllegalStateException(closed ? "adapter closed"
                    : "PostgreSQL publish queue full (" + options.maxQueuedPublishes() + " waiting)"));
        }
        return sent;
    }

    private void send(String channel, JsonNode message, String json, byte[] attachment, CompletableFuture<Void> sent) {
        try {
            Connection c = publishingConnection();
            String payload = json;
            if (attachment != null) {
                long id = table.insert(c, attachment);
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("uid", message.path("uid").asText());
                header.put("type", message.path("type").asInt());
                // node-postgres reads a bigint as a string, so Node's header carries the id as one.
                header.put("attachmentId", Long.toString(id));
                payload = JSON.writeValueAsString(header);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                s.setString(1, channel);
                s.setString(2, payload);
                s.executeQuery().close();
            }
            publisherUp = true;
            sent.complete(null);
        } catch (SQLException | IOException e) {
            publishFailed(e);
            sent.completeExceptionally(e);
        }
    }

    /** The publishing connection, opened again after a failure (not more than once a second). */
    private Connection publishingConnection() throws SQLException {
        if (publishing != null) {
            return publishing;
        }
        if (System.nanoTime() - publishRetryAt < 0) {
            throw new WaitingToRetry();
        }
        Connection c = options.dataSource().getConnection();
        c.setAutoCommit(true);
        if (options.createTable()) {
            table.create(c);
        }
        publishing = c;
        return c;
    }

    private void publishFailed(Exception e) {
        if (e instanceof WaitingToRetry) {
            // Refused without trying: the wait for the next try must not grow with each refusal, or a caller
            // asking once a second (the gap probe) would never see it end.
            publisherUp = false;
            gapPending.set(true);
            return;
        }
        if (publisherUp) {
            log.warn("PostgreSQL publish failed: {}", e.getMessage());
        }
        publisherUp = false;
        gapPending.set(true);
        closeQuietly(publishing);
        publishing = null;
        publishRetryAt = System.nanoTime() + PUBLISH_RETRY_NANOS;
    }

    private void scheduleCleanup() {
        try {
            publisher.execute(() -> {
                try {
                    int n = table.deleteOlderThan(publishingConnection(), options.cleanupInterval());
                    log.debug("removed {} old attachments", n);
                } catch (SQLException e) {
                    publishFailed(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Full or closed: the next round cleans up.
        }
    }

    // ---- listening ----

    private void listen() {
        Connection c = null;
        PGConnection pg = null;
        Set<String> listening = new HashSet<>();
        boolean everConnected = false;
        boolean failing = false;
        while (!closed) {
            try {
                if (c == null) {
                    c = options.dataSource().getConnection();
                    c.setAutoCommit(true);
                    pg = c.unwrap(PGConnection.class);
                    listening.clear();
                    if (options.createTable()) {
                        table.create(c);
                    }
                    if (everConnected) {
                        gapPending.set(true);
                        log.info("PostgreSQL listener connected again");
                    }
                    everConnected = true;
                    failing = false;
                    listenerUp = true;
                }
                syncChannels(c, listening);
                if (gapPending.get()) {
                    probe();
                }
                PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        dispatch(c, n.getName(), n.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                if (!failing) {
                    log.warn("PostgreSQL listener connection failed ({}); connecting again", e.getMessage());
                }
                failing = true;
                listenerUp = false;
                if (everConnected) {
                    gapPending.set(true);
                }
                closeQuietly(c);
                c = null;
                // As Node's adapter: 1 to 3 s, so a restarted database is not met by every node at once.
                pause(ThreadLocalRandom.current().nextLong(1000, 3000));
            } catch (RuntimeException e) {
                log.error("PostgreSQL listener error", e);
                pause(1000);
            }
        }
        listenerUp = false;
        closeQuietly(c);
    }

    /** LISTENs to the channels of new namespaces (then starts their adapters), UNLISTENs to those gone. */
    private void syncChannels(Connection c, Set<String> listening) throws SQLException {
        for (Map.Entry<String, PostgresAdapter> e : byChannel.entrySet()) {
            if (!listening.contains(e.getKey())) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + quote(e.getKey()));
                }
                listening.add(e.getKey());
                // Announced only once it hears: its peers' answers to the initial heartbeat must reach it.
                e.getValue().listening();
            }
        }
        for (String channel : Set.copyOf(listening)) {
            if (!byChannel.containsKey(channel)) {
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN " + quote(channel));
                }
                listening.remove(channel);
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A notification: the message itself, or a header naming its attachment. */
    @SuppressWarnings("unchecked")
    private void dispatch(Connection c, String channel, String payload) throws SQLException {
        PostgresAdapter adapter = byChannel.get(channel);
        if (adapter == null) {
            return;
        }
        Map<String, Object> message;
        try {
            message = JSON.readValue(payload, Map.class);
        } catch (IOException e) {
            log.debug("ignoring malformed notification on {}: {}", channel, e.getMessage());
            return;
        }
        if (adapter.uid().equals(message.get("uid"))) {
            return;
        }
        Object attachmentId = message.get("attachmentId");
        if (attachmentId != null) {
            message = readAttachment(c, adapter, channel, attachmentId);
            if (message == null) {
                return;
            }
        }
        try {
            adapter.deliver(message);
        } catch (RuntimeException e) {
            log.warn("message on {} not handled", channel, e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readAttachment(Connection c, PostgresAdapter adapter, String channel, Object rawId)
            throws SQLException {
        long id;
        try {
            id = rawId instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(rawId));
        } catch (NumberFormatException e) {
            log.debug("ignoring notification on {} with attachment id {}", channel, rawId);
            return null;
        }
        AttachmentTable.Row row;
        try {
            row = table.read(c, id, options.maxAttachmentBytes());
        } catch (SQLException e) {
            if (!c.isValid(1)) {
                throw e;
            }
            log.warn("attachment {} on {} not read: {}", id, channel, e.getMessage());
            adapter.receiveFailed();
            return null;
        }
        if (row == null || row.payload() == null) {
            log.warn(row == null ? "attachment {} on {} is gone (cleaned up before it was read)"
                    : "attachment {} on {} not read: {} bytes is over the limit", id, channel,
                    row == null ? "" : row.length());
            adapter.receiveFailed();
            return null;
        }
        try {
            Object decoded = MsgPackReader.read(row.payload());
            if (decoded instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (MsgPackException e) {
            log.debug("attachment {} on {} is not MessagePack: {}", id, channel, e.getMessage());
        }
        adapter.receiveFailed();
        return null;
    }

    /**
     * With a gap pending and the listener up: checks (once a second at most) that publishing works, and then
     * tells the gap listeners once. Anything published from then on is received, so a re-sync they start is whole.
     */
    private void probe() {
        long now = System.nanoTime();
        if (now - lastProbe < PUBLISH_RETRY_NANOS || !probing.compareAndSet(false, true)) {
            return;
        }
        lastProbe = now;
        try {
            publisher.execute(() -> {
                try (Statement s = publishingConnection().createStatement()) {
                    s.executeQuery("SELECT 1").close();
                    publisherUp = true;
                    if (listenerUp && gapPending.compareAndSet(true, false)) {
                        log.info("PostgreSQL link whole again: telling {} gap listener(s)", gapListeners.size());
                        CompletableFuture.runAsync(() -> gapListeners.forEach(l -> {
                            try {
                                l.run();
                            } catch (RuntimeException e) {
                                log.error("cluster gap listener failed", e);
                            }
                        }));
                    }
                } catch (SQLException e) {
                    publishFailed(e);
                } finally {
                    probing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            probing.set(false);
        }
    }

    private void pause(long millis) {
        synchronized (sleeper) {
            if (!closed) {
                try {
                    sleeper.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }

    /** Sends what is queued (the adapters' goodbyes), then ends both connections and threads. */
    void close() {
        cleanup.cancel(false);
        publisher.shutdown();
        try {
            if (!publisher.awaitTermination(2, TimeUnit.SECONDS)) {
                publisher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(publishing);
        synchronized (sleeper) {
            closed = true;
            sleeper.notifyAll();
        }
        try {
            listener.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A publish refused because the last failure was less than a second ago. */
    private static final class WaitingToRetry extends SQLException {
        private static final long serialVersionUID = 1L;

        WaitingToRetry() {
            super("PostgreSQL unreachable (publishing is tried again shortly)");
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a connection: {}", e.getMessage());
            }
        }
    }
}
