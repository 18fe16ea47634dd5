package io.hibiki.postgres;

import io.hibiki.socketio.adapter.cluster.HeartbeatSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Settings of the PostgreSQL adapter, with Node's {@code @socket.io/postgres-adapter} defaults where it has them.
 * Immutable; each {@code with…} returns a copy.
 *
 * @param dataSource         where connections come from: the adapter keeps two open (one listening, one
 *                           publishing) and takes them again after a failure
 * @param channelPrefix      channels are {@code <prefix>#<namespace>} (Node: {@code socket.io}); a channel name
 *                           must fit PostgreSQL's 63 bytes
 * @param tableName          the attachments table (Node: {@code socket_io_attachments})
 * @param payloadThreshold   a message whose JSON is longer than this many bytes travels as an attachment (Node:
 *                           8000, which is also PostgreSQL's NOTIFY limit)
 * @param cleanupInterval    attachments older than this are deleted, checked as often (Node: 30 s)
 * @param createTable        create the attachments table when it is missing (Node never does)
 * @param maxAttachmentBytes a peer's attachment larger than this is not read (logged and counted as an
 *                           adapter error)
 * @param maxQueuedPublishes messages waiting to be sent beyond this many are refused at once (while PostgreSQL
 *                           is slow or away), rather than held without bound
 * @param heartbeat          heartbeat interval and timeouts, request timeout
 */
public record PostgresAdapterOptions(DataSource dataSource, String channelPrefix, String tableName,
                                     int payloadThreshold, Duration cleanupInterval, boolean createTable,
                                     long maxAttachmentBytes, int maxQueuedPublishes, HeartbeatSettings heartbeat) {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    /**
     * Validates the settings.
     *
     * @param dataSource         required
     * @param channelPrefix      not empty
     * @param tableName          a plain or schema-qualified SQL name (letters, digits, underscores)
     * @param payloadThreshold   1 to 8000
     * @param cleanupInterval    positive
     * @param createTable        whether to create the table
     * @param maxAttachmentBytes positive
     * @param maxQueuedPublishes positive
     * @param heartbeat          required
     */
    public PostgresAdapterOptions {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (channelPrefix == null || channelPrefix.isEmpty()) {
            throw new IllegalArgumentException("channelPrefix must not be empty");
        }
        if (tableName == null || !TABLE.matcher(tableName).matches()) {
            throw new IllegalArgumentException("tableName must be a SQL name of letters, digits and underscores, "
                    + "optionally schema-qualified: " + tableName);
        }
        if (payloadThreshold < 1 || payloadThreshold > 8000) {
            throw new IllegalArgumentException("payloadThreshold must be within 1..8000 (NOTIFY's limit): "
                    + payloadThreshold);
        }
        if (cleanupInterval == null || cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("cleanupInterval must be positive");
        }
        if (maxAttachmentBytes < 1 || maxQueuedPublishes < 1) {
            throw new IllegalArgumentException("maxAttachmentBytes and maxQueuedPublishes must be positive");
        }
    }

    /**
     * Node's defaults on a data source: prefix {@code socket.io}, table {@code socket_io_attachments}, threshold
     * 8000 bytes, cleanup every 30 s, heartbeats every 5 s (10 s timeout, 5 s requests); plus Hibiki's: the table
     * is created when missing, attachments over 64 MiB are not read, 10,000 messages may wait to be sent.
     *
     * @param dataSource where connections come from (a pool or a plain data source: only two stay open)
     * @return the options
     */
    public static PostgresAdapterOptions of(DataSource dataSource) {
        return new PostgresAdapterOptions(dataSource, "socket.io", "socket_io_attachments", 8000,
                Duration.ofSeconds(30), true, 64L << 20, 10_000, HeartbeatSettings.DEFAULTS);
    }

    /**
     * @param source where connections come from
     * @return a copy with it
     */
    public PostgresAdapterOptions withDataSource(DataSource source) {
        return new PostgresAdapterOptions(source, channelPrefix, tableName, payloadThreshold, cleanupInterval,
                createTable, maxAttachmentBytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param prefix the channel prefix
     * @return a copy with it
     */
    public PostgresAdapterOptions withChannelPrefix(String prefix) {
        return new PostgresAdapterOptions(dataSource, prefix, tableName, payloadThreshold, cleanupInterval,
                createTable, maxAttachmentBytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param table the attachments table name
     * @return a copy with it
     */
    public PostgresAdapterOptions withTableName(String table) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, table, payloadThreshold, cleanupInterval,
                createTable, maxAttachmentBytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param bytes the payload threshold
     * @return a copy with it
     */
    public PostgresAdapterOptions withPayloadThreshold(int bytes) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, tableName, bytes, cleanupInterval,
                createTable, maxAttachmentBytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param interval the attachment cleanup interval (and age)
     * @return a copy with it
     */
    public PostgresAdapterOptions withCleanupInterval(Duration interval) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, tableName, payloadThreshold, interval,
                createTable, maxAttachmentBytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param create whether to create a missing attachments table
     * @return a copy with it
     */
    public PostgresAdapterOptions withCreateTable(boolean create) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, tableName, payloadThreshold, cleanupInterval,
                create, maxAttachmentBytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param bytes the largest attachment read from a peer
     * @return a copy with it
     */
    public PostgresAdapterOptions withMaxAttachmentBytes(long bytes) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, tableName, payloadThreshold, cleanupInterval,
                createTable, bytes, maxQueuedPublishes, heartbeat);
    }

    /**
     * @param max the most messages waiting to be sent
     * @return a copy with it
     */
    public PostgresAdapterOptions withMaxQueuedPublishes(int max) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, tableName, payloadThreshold, cleanupInterval,
                createTable, maxAttachmentBytes, max, heartbeat);
    }

    /**
     * @param settings heartbeat interval, timeout and request timeout
     * @return a copy with them
     */
    public PostgresAdapterOptions withHeartbeat(HeartbeatSettings settings) {
        return new PostgresAdapterOptions(dataSource, channelPrefix, tableName, payloadThreshold, cleanupInterval,
                createTable, maxAttachmentBytes, maxQueuedPublishes, settings);
    }
}
