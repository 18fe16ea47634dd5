package io.hibiki.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The table Node's adapter keeps messages in that NOTIFY cannot carry (binary, or longer than the threshold):
 * {@code (id bigserial, created_at timestamptz, payload bytea)}, the payload MessagePack. Rows are read by id and
 * deleted once older than the cleanup interval.
 */
final class AttachmentTable {

    /** What a read found. */
    record Row(byte[] payload, long length) {
    }

    private final String name;

    /** @param name a validated SQL name (see {@link PostgresAdapterOptions}) */
    AttachmentTable(String name) {
        this.name = name;
    }

    /** Creates the table as Node's README declares it, unless it exists (two nodes may race: both succeed). */
    void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + name
                    + " (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)");
        } catch (SQLException e) {
            // A concurrent CREATE of the same table fails on the catalog's unique index; the table is there then.
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Stores a payload; returns its id. */
    long insert(Connection c, byte[] payload) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + name + " (payload) VALUES (?) RETURNING id")) {
            s.setBytes(1, payload);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * The payload of row {@code id}, or {@code null} when there is no such row (cleaned up already); a payload
     * longer than {@code max} is not transferred (the row's payload is then null and its length says why).
     */
    Row read(Connection c, long id, long max) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT CASE WHEN octet_length(payload) <= ? THEN payload END,"
                + " octet_length(payload) FROM " + name + " WHERE id = ?")) {
            s.setLong(1, max);
            s.setLong(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Row(r.getBytes(1), r.getLong(2)) : null;
            }
        }
    }

    /** Deletes the rows older than {@code age}; returns how many. */
    int deleteOlderThan(Connection c, Duration age) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + name
                + " WHERE created_at < now() - ? * interval '1 millisecond'")) {
            s.setLong(1, age.toMillis());
            return s.executeUpdate();
        }
    }
}
