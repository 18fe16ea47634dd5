package io.hibiki.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's identity and the floor of its message ids. A store gets a random id when it is created; a new store
 * (no id yet, no messages) starts its message ids at the clock's reading in microseconds. Ids of an earlier store
 * that was lost grew by one per message from its own creation time in microseconds, so they stay below the new
 * store's first id unless that store averaged more than a million messages a second: ids are never reused, even
 * across a lost database file, and a client syncing "after its last id" can never skip new messages.
 */
final class StoreIdentity {

    private static final Logger log = LoggerFactory.getLogger(StoreIdentity.class);
    private static final String KEY = "store_id";

    private StoreIdentity() {
    }

    /** The store's id, giving a new store its id and id floor. */
    static String establish(DataSource ds, long nowMillis) throws SQLException {
        String id = read(ds);
        if (id != null) {
            return id;
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            boolean empty;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM messages")) {
                rs.next();
                empty = rs.getLong(1) == 0;
            }
            if (empty) {
                long floor = nowMillis * 1000;
                // Identity columns restart the same way in H2 and PostgreSQL.
                st.execute("ALTER TABLE messages ALTER COLUMN id RESTART WITH " + floor);
                log.info("new store: message ids start at {}", floor);
            }
            String fresh = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_meta (meta_key, meta_value) VALUES (?, ?)")) {
                ps.setString(1, KEY);
                ps.setString(2, fresh);
                ps.executeUpdate();
                return fresh;
            } catch (SQLException e) {
                // Another instance sharing the database named it first.
                String other = read(ds);
                if (other == null) {
                    throw e;
                }
                return other;
            }
        }
    }

    /** The id recorded in the store, or null when it has none yet. */
    static String read(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT meta_value FROM store_meta WHERE meta_key = ?")) {
            ps.setString(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
