package io.hibiki.chat;

import io.hibiki.chat.store.Database;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.chat.upload.UploadStore;
import io.hibiki.chat.web.ChatHttpHandler;
import io.hibiki.chat.web.StaticFiles;
import io.hibiki.redis.RedisAdapter;
import io.hibiki.redis.RedisAdapterOptions;
import io.hibiki.socketio.SocketIoOptions;
import io.hibiki.socketio.SocketIoServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat application: Socket.IO server, database, uploads and web UI on one port. */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final ChatConfig config;
    private final Database database;
    private final MessageStore store;
    private final ExecutorService workers;
    private final SocketIoServer io;
    private int port;

    public ChatServer(ChatConfig config) throws Exception {
        this.config = config;
        this.database = Database.open(config.databaseUrl(), config.dataDir());
        this.store = new MessageStore(database.dataSource());
        AtomicInteger n = new AtomicInteger();
        // Database work blocks, so listeners run here and never on an event loop.
        this.workers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "chat-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<String> paths = config.socketIoPaths();
        SocketIoOptions.Builder builder = SocketIoServer.builder()
                .path(paths.get(0))
                .engine(e -> paths.stream().skip(1).forEach(e::alsoPath))
                .cors(c -> c.allowOrigins(config.corsOrigins().toArray(String[]::new)).enforce(true))
                .listenerExecutor(workers);
        if (config.redisUrl() != null) {
            // The pub/sub adapter cannot recover sessions; clients catch up with "sync" (id > last seen) instead.
            builder.adapter(RedisAdapter.factory(RedisAdapterOptions.of(config.redisUrl())));
        } else {
            builder.connectionStateRecovery(Duration.ofMinutes(2), true);
        }
        this.io = builder.build();
        new ChatEvents(io, store, config, UserTokens.load(config)).install();
    }

    /** Starts listening; returns the bound port. */
    public int start() {
        UploadStore uploads = new UploadStore(config.uploadDir(), config.uploadMaxBytes());
        StaticFiles web = new StaticFiles("web");
        port = io.listen(new InetSocketAddress(config.host(), config.port()),
                p -> p.addLast("chat-http", new ChatHttpHandler(uploads, web, workers, config.uploadMaxBytes(),
                        config.corsOrigins())));
        log.info("Hibiki chat on http://{}:{}/ (database: {}, adapter: {}, uploads: {})", config.host(), port,
                database.isPostgres() ? "PostgreSQL" : "embedded H2 in " + config.dataDir(),
                config.redisUrl() != null ? "Redis" : "in-memory", config.uploadDir());
        return port;
    }

    public SocketIoServer io() {
        return io;
    }

    public MessageStore store() {
        return store;
    }

    /** Stops accepting, tells clients, drains, closes the database. */
    @Override
    public void close() {
        io.close();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
    }
}
