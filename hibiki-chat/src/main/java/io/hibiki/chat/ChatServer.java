package io.hibiki.chat;

import io.hibiki.chat.account.Account;
import io.hibiki.chat.account.AccountIds;
import io.hibiki.chat.account.Accounts;
import io.hibiki.chat.account.Passwords;
import io.hibiki.chat.store.AccountStore;
import io.hibiki.chat.store.Database;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.chat.store.ReactionStore;
import io.hibiki.chat.store.RoomStore;
import io.hibiki.chat.upload.UploadStore;
import io.hibiki.chat.web.AuthRoutes;
import io.hibiki.chat.web.ChatHttpHandler;
import io.hibiki.chat.web.HttpsRedirect;
import io.hibiki.chat.web.MetricsRoute;
import io.hibiki.chat.web.StrictTransportSecurity;
import io.hibiki.chat.web.StaticFiles;
import io.hibiki.chat.web.UploadPolicy;
import io.hibiki.engine.ClientAddress;
import io.hibiki.engine.ServerTls;
import io.hibiki.postgres.PostgresAdapter;
import io.hibiki.postgres.PostgresAdapterOptions;
import io.hibiki.redis.RedisAdapter;
import io.hibiki.redis.RedisAdapterOptions;
import io.hibiki.socketio.SocketIoOptions;
import io.hibiki.socketio.SocketIoServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat application: Socket.IO server, database, uploads and web UI on one port. */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    /** The server-side event by which an instance asks the others to re-sync their clients. */
    private static final String RESYNC = "chat:resync";
    /** The server-side event by which an instance tells the others an account's display name changed. */
    private static final String RENAMED = "chat:renamed";

    private final ChatConfig config;
    private final Database database;
    private final MessageStore store;
    private final ExecutorService workers;
    /** Store checks and the upload sweep; one daemon thread, its tasks hand blocking work to the workers. */
    private final ScheduledExecutorService timer;
    private final UserTokens tokens;
    private final Accounts accounts;
    private final ChatEvents events;
    private final SocketIoServer io;
    /** HTTPS, when TLS_CERT and TLS_KEY are set; reloaded when the files are renewed. */
    private final ServerTls tls;
    /** {@code TRUSTED_PROXIES}, parsed once; null when none. */
    private final java.util.function.Predicate<java.net.InetAddress> trustedProxies;
    private HttpsRedirect redirect;
    /** The meters behind {@code GET /metrics}, or null when {@code METRICS} is off. */
    private final ChatMetrics metrics;
    private final MetricsRoute metricsRoute;
    private final ChatHealth health;
    private int port;

    public ChatServer(ChatConfig config) throws Exception {
        this.config = config;
        this.database = Database.open(config.databaseUrl(), config.dataDir());
        RoomStore rooms = new RoomStore(database.dataSource());
        this.store = new MessageStore(database.dataSource(), rooms);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chat-timer");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger n = new AtomicInteger();
        // Database work blocks, so listeners run here and never on an event loop.
        this.workers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "chat-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Read and checked now, so a wrong file is one line at start, not a failure at the first browser.
        this.tls = config.tls() ? ServerTls.fromPem(config.tlsCert(), config.tlsKey()) : null;
        this.trustedProxies = config.trustedProxies().isEmpty() ? null : ClientAddress.ranges(config.trustedProxies());
        List<String> paths = config.socketIoPaths();
        this.metrics = config.metrics() ? new ChatMetrics() : null;
        SocketIoOptions.Builder builder = SocketIoServer.builder()
                .path(paths.get(0))
                .engine(e -> paths.stream().skip(1).forEach(e::alsoPath))
                .engine(e -> e.maxHttpBufferSize(config.maxPacketBytes())
                        .maxConnectionsPerIp(config.maxConnectionsPerIp())
                        .handshakesPerSecondPerIp(config.handshakesPerSecondPerIp())
                        .headersTimeout(Duration.ofMillis(config.httpHeadersTimeoutMillis()))
                        .bodyTimeout(Duration.ofMillis(config.httpBodyTimeoutMillis()))
                        .keepAliveTimeout(Duration.ofMillis(config.httpKeepAliveTimeoutMillis()))
                        .allowedHosts(config::allowsHost)
                        .trustedProxies(trustedProxies)
                        .tls(tls))
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMillis()))
                // Over the rate, events wait in order (no work is lost silently); past the queue the ack says so.
                .eventRateLimit(config.eventsPerSecond(), config.eventBurst())
                .eventQueue(config.eventQueue())
                .dropWhenRateLimited("typing", "cursor")
                .rateLimitedEvent("chat-error")
                .rateLimitedAnswer(event -> ChatEvents.rateLimited(event, config.eventQueue()))
                .rateLimitErrors(false)
                .floodDisconnect(config.eventFloodDisconnect())
                .cors(c -> c.allowOrigins(config.corsOrigins().toArray(String[]::new)).enforce(true))
                .listenerExecutor(workers)
                // One host's connections (a script with thirty of them) hold at most this many workers at a time.
                .listenerTurnsPerAddress(config.workerTurnsPerAddress());
        if (metrics != null) {
            builder.observer(metrics.socketIo());
        }
        // The cluster adapters cannot recover sessions; clients catch up with "sync" (id > last seen) instead.
        if (config.cluster() == ChatConfig.Cluster.REDIS) {
            builder.adapter(RedisAdapter.factory(RedisAdapterOptions.of(config.redisUrl())));
        } else if (config.cluster() == ChatConfig.Cluster.POSTGRES) {
            // Connections of its own (two, held open), not the pool's: the pool stays for the chat's queries.
            builder.adapter(PostgresAdapter.factory(PostgresAdapterOptions.of(database.unpooledDataSource())));
        } else {
            // Middleware runs for a recovered connection too: its session may have ended while it was away.
            builder.connectionStateRecovery(Duration.ofMinutes(2), false);
        }
        this.io = builder.build();
        this.health = new ChatHealth(io, database);
        this.metricsRoute = metrics == null ? null : new MetricsRoute(metrics::scrape, config.metricsToken());
        Membership membership = new Membership(io, rooms, store, config);
        Reactions reactions = new Reactions(io, store, new ReactionStore(database.dataSource()));
        Messages messages = new Messages(io, store, rooms, database, config, reactions);
        this.tokens = UserTokens.load(config);
        tokens.revocations(userId -> {
            try {
                return rooms.revokedBefore(userId);
            } catch (java.sql.SQLException e) {
                // Unsure whether the user ended their sessions: the token is not taken.
                log.warn("revocations of {} not readable: {}", userId, e.toString());
                return Long.MAX_VALUE;
            }
        });
        this.accounts = new Accounts(new AccountStore(database.dataSource()), new Passwords(),
                new Accounts.Settings(config.sessionTtlDays() * 86_400_000L, config.adminHandles(),
                        config.signInsPerMinutePerIp(), config.signUpsPerHourPerIp()));
        accounts.applyAdminHandles();
        accounts.onSessionsEnded((userId, sessionIds) -> sessionsEnded(rooms, userId, sessionIds));
        AccountStore accountStore = new AccountStore(database.dataSource());
        RoomManagement management = new RoomManagement(io, rooms, accountStore, membership, config);
        ChatServices services = new ChatServices(store, membership, messages, reactions, management,
                new Directory(rooms, accountStore, config),
                new Moderation(io, store, accountStore, accounts, management), new MessageSearch(store, messages, config),
                database.storeId());
        this.events = new ChatEvents(io, services, config, tokens, workers, accounts);
        events.install();
        // Live broadcasts and room joins between instances travel through the cluster adapter: when this
        // instance's link was
        // broken, its clients (and, since its own publishes may have failed, every instance's) re-sync from the
        // database.
        io.of("/").adapter().onClusterGap(() -> {
            events.resyncAll("resync");
            io.serverSideEmit(RESYNC);
        });
        io.of("/").onServerSideEmit(RENAMED, args -> {
            if (args.size() == 2) {
                events.renamedLocally(args.get(0).asText(), args.get(1).asText());
            }
            return null;
        });
        io.of("/").onServerSideEmit(RESYNC, args -> {
            events.resyncAll("resync");
            return null;
        });
        timer.scheduleWithFixedDelay(() -> workers.execute(database::verifyIdentity), 5, 5, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> workers.execute(() -> {
            try {
                accounts.sweepExpired();
            } catch (java.sql.SQLException e) {
                log.debug("expired sessions not swept: {}", e.toString());
            }
        }), 1, 60, TimeUnit.MINUTES);
    }

    /**
     * Sessions ended (sign-out, password change, suspension): their connections close on every instance, and the
     * user tokens their pages held for uploads stop being good; the account's other connections get fresh ones.
     */
    private void sessionsEnded(RoomStore rooms, String userId, List<String> sessionIds) {
        String[] ended = sessionIds.stream().map(Rooms::ofSession).toArray(String[]::new);
        io.in(ended).disconnectSockets(false);
        long from = System.currentTimeMillis() / 1000 + 1;
        try {
            rooms.revokeBefore(userId, from);
        } catch (java.sql.SQLException e) {
            log.warn("upload tokens of {} not revoked: {}", userId, e.toString());
            return;
        }
        io.to(Rooms.ofUser(userId)).except(ended).emit("session-token", Map.of("userToken", tokens.sign(userId, from)));
    }

    /**
     * A new display name: its stored messages were rewritten and what the account sends from now carries it
     * ({@code Messages}); every client hears of it to update what it shows.
     */
    private void renamed(Account a) {
        events.renamedLocally(a.userId(), a.displayName());
        io.serverSideEmit(RENAMED, a.userId(), a.displayName());
        io.emit("user-updated", Map.of("userId", a.userId(), "nickname", a.displayName()));
    }


    /** The port of the plain-HTTP redirect to HTTPS, or 0 when there is none. */
    public int redirectPort() {
        return redirect != null ? redirect.port() : 0;
    }

    /** Starts listening; returns the bound port. */
    public int start() {
        UploadStore uploads = new UploadStore(config.uploadDir(), config.uploadMaxBytes());
        StaticFiles web = new StaticFiles("web");
        AuthRoutes auth = new AuthRoutes(accounts, config.guests(), config.sessionTtlDays() * 86_400L, this::renamed);
        // Without guests, only accounts' tokens upload (a guest token issued before GUESTS=off no longer does).
        UploadPolicy policy = new UploadPolicy((id, token) -> (config.guests() || AccountIds.isAccount(id))
                && tokens.verify(id, token), config.uploadsPerMinute(),
                (int) Math.max(1, config.uploadsPerMinute() * 2), trustedProxies,
                config.uploadQuotaBytesPerDay());
        port = io.listen(new InetSocketAddress(config.host(), config.port()), p -> {
            if (config.hstsMaxAgeSeconds() > 0) {
                p.addAfter("http", "hsts", new StrictTransportSecurity(config.hstsMaxAgeSeconds(),
                        trustedProxies));
            }
            p.addLast("chat-http", new ChatHttpHandler(uploads, web, workers, config.uploadMaxBytes(),
                    config.corsOrigins(), policy, auth, trustedProxies,
                    metricsRoute, health));
        });
        if (config.httpRedirectPort() != 0) {
            redirect = HttpsRedirect.listen(config.host(), config.httpRedirectPort(), port, config::allowsHost,
                    Duration.ofMillis(config.httpHeadersTimeoutMillis()));
            log.info("plain HTTP on port {} redirects to HTTPS", redirect.port());
        }
        // Uploads no message came to refer to (abandoned, or their message deleted) do not stay for ever.
        Duration orphanAge = Duration.ofHours(config.uploadOrphanHours());
        timer.scheduleWithFixedDelay(() -> workers.execute(() -> {
            try {
                int removed = uploads.removeOrphans(orphanAge, url -> {
                    try {
                        return store.refersTo(url);
                    } catch (java.sql.SQLException e) {
                        return true; // unsure: keep it
                    }
                });
                if (removed > 0) {
                    log.info("removed {} uploads no message refers to", removed);
                }
            } catch (java.io.IOException e) {
                log.warn("upload sweep failed: {}", e.toString());
            }
        }), 1, 60, TimeUnit.MINUTES);
        log.info("Hibiki chat on {}://{}:{}/ (database: {}, adapter: {}, uploads: {}{})", tls != null ? "https" : "http",
                config.host(), port, database.isPostgres() ? "PostgreSQL" : "embedded H2 in " + config.dataDir(),
                switch (config.cluster()) {
                    case REDIS -> "Redis";
                    case POSTGRES -> "PostgreSQL";
                    case NONE -> "in-memory";
                }, config.uploadDir(),
                tls != null ? ", TLS: " + tls.engineName() + ", certificate " + tls.certificate()
                        .getSubjectX500Principal().getName() + " until " + tls.certificate().getNotAfter().toInstant()
                        : "");
        return port;
    }

    public SocketIoServer io() {
        return io;
    }

    public MessageStore store() {
        return store;
    }

    /**
     * Stops accepting, lets the answers already being worked out go out (a send being stored gets its ack, so its
     * client need not resend), tells clients, drains, closes the database.
     */
    @Override
    public void close() {
        if (redirect != null) {
            redirect.close();
        }
        io.close(Duration.ofSeconds(3));
        timer.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        health.close();
        if (metrics != null) {
            metrics.close();
        }
    }
}
