package io.hibiki.chat.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat's SQL database: an embedded H2 file by default, PostgreSQL when {@code DATABASE_URL} says so. */
public final class Database implements AutoCloseable {

    private static final String H2_NAME = "hibiki-chat";

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final boolean postgres;
    /** The embedded database's file, watched so that its loss is noticed; null for PostgreSQL. */
    private final Path file;
    private String storeId;
    private volatile String lostReason;

    private Database(HikariDataSource dataSource, boolean postgres, Path file) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.file = file;
    }

    /**
     * Opens (and creates the schema of) the database at {@code url}: a JDBC URL, a {@code postgres://user@host/db}
     * URL, or null for an H2 file under {@code dataDir}.
     */
    public static Database open(String url, Path dataDir) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("chat-db");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        String jdbc = jdbcUrl(url, dataDir);
        config.setJdbcUrl(jdbc);
        boolean postgres = jdbc.startsWith("jdbc:postgresql:");
        if (url != null && (url.startsWith("postgres://") || url.startsWith("postgresql://"))) {
            URI u = URI.create(url);
            if (u.getUserInfo() != null) {
                String[] parts = u.getUserInfo().split(":", 2);
                config.setUsername(parts[0]);
                if (parts.length > 1) {
                    config.setPassword(parts[1]);
                }
            }
        }
        Path file = url == null || url.isBlank() ? dataDir.toAbsolutePath().resolve(H2_NAME + ".mv.db") : null;
        Database db = new Database(new HikariDataSource(config), postgres, file);
        try {
            db.migrate();
            db.storeId = StoreIdentity.establish(db.dataSource, System.currentTimeMillis());
        } catch (RuntimeException | SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * The same PostgreSQL database without the pool: each {@code getConnection} opens a connection of its own.
     * For users that hold connections open for good (the cluster adapter's listener), which would take a pool's.
     */
    public javax.sql.DataSource unpooledDataSource() {
        if (!postgres) {
            throw new IllegalStateException("not a PostgreSQL database");
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        // The pool's own settings: one place says where the database is.
        ds.setURL(dataSource.getJdbcUrl());
        if (dataSource.getUsername() != null) {
            ds.setUser(dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            ds.setPassword(dataSource.getPassword());
        }
        ds.setApplicationName("hibiki-chat-cluster");
        return ds;
    }

    static String jdbcUrl(String url, Path dataDir) {
        if (url == null || url.isBlank()) {
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create " + dataDir + ": " + e.getMessage(), e);
            }
            return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(H2_NAME) + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        if (url.startsWith("jdbc:")) {
            return url;
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI u = URI.create(url);
            int port = u.getPort() < 0 ? 5432 : u.getPort();
            String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
            return "jdbc:postgresql://" + u.getHost() + ":" + port + u.getRawPath() + query;
        }
        throw new IllegalArgumentException("DATABASE_URL must be a jdbc: or postgres:// URL, got " + url);
    }

    /** Brings the schema up to date (Flyway, scripts in {@code db/migration}). */
    private void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                // Most of the schema is shared; what only one store can express (PostgreSQL's text search index)
                // lives in its own folder, at a version both have.
                .locations("classpath:db/migration", "classpath:db/migration-{vendor}")
                // A database made before migrations existed has the tables of V1 (written to pass over them).
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /** The random id this store was given when it was created: a client that saw another id has stale state. */
    public String storeId() {
        return storeId;
    }

    /**
     * Fails when the store this server opened is no longer the one on disk (the embedded file deleted or replaced
     * under the running server): acknowledging a write then would promise what cannot be kept. Logged once, loudly.
     */
    public void ensureIntact() throws StoreLostException {
        String reason = lostReason;
        if (reason == null && file != null && !Files.exists(file)) {
            reason = "the database file " + file + " was deleted while the server was running";
        }
        if (reason != null) {
            if (lostReason == null) {
                lostReason = reason;
                log.error("STORE LOST: {}. Every write is refused from now on; restart the server to open a new "
                        + "store (clients are told the store changed and start again).", reason);
            }
            throw new StoreLostException(reason);
        }
    }

    /** Checks that the store on disk still has this store's id (run now and then: a replaced file is noticed). */
    public void verifyIdentity() {
        try {
            ensureIntact();
            String now = StoreIdentity.read(dataSource);
            if (now != null && !now.equals(storeId)) {
                lostReason = "the database was replaced while the server was running (store id " + storeId
                        + " is now " + now + ")";
                ensureIntact();
            }
        } catch (StoreLostException e) {
            // logged by ensureIntact
        } catch (SQLException e) {
            log.debug("store identity not checked: {}", e.getMessage());
        }
    }

    /** Whether a connection answers within two seconds: for the health check. */
    public boolean reachable() {
        try (java.sql.Connection c = dataSource().getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return postgres;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
