package io.hibiki.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Messages and read markers in SQL. Blocking: call it from the chat's worker threads, never an event loop.
 */
public final class MessageStore {

    private static final String COLUMNS = "id, seq, room, client_id, author, user_id, text, attachment_url, "
            + "attachment_name, attachment_type, attachment_size, created_at, edited, deleted, reply_to";
    /** SQLSTATE of a unique-constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Unread counts stop here (a client shows "999+"). */
    public static final int UNREAD_CAP = 1000;

    private final DataSource ds;
    private final RoomStore rooms;
    private final boolean postgres;

    public MessageStore(DataSource ds, RoomStore rooms) {
        this.ds = ds;
        this.rooms = rooms;
        this.postgres = isPostgres(ds);
    }

    private static boolean isPostgres(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("database not reachable: " + e.getMessage(), e);
        }
    }

    /** The outcome of {@link #append}: the stored message and whether this call stored it (false for a retry). */
    public record Appended(ChatMessage message, boolean created) {
    }

    /**
     * Stores a message; a retry with the same (room, clientId) returns the message stored the first time. The
     * room's sequence number and the message are written in one transaction: the room's row lock orders the
     * room's writers, so ids and sequence numbers grow together and a room's sequence has no holes.
     */
    public Appended append(String room, String clientId, String author, String userId, String text,
                           ChatMessage.Attachment attachment, Long replyTo, long now) throws SQLException {
        rooms.ensure(room, now);
        if (postgres) {
            return appendInOneStatement(room, clientId, author, userId, text, attachment, replyTo, now);
        }
        String sql = "INSERT INTO messages (room, seq, client_id, author, user_id, text, attachment_url, "
                + "attachment_name, attachment_type, attachment_size, created_at, reply_to) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long seq = nextSeq(c, room);
                long id;
                try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
                    ps.setString(1, room);
                    ps.setLong(2, seq);
                    bindFrom3(ps, clientId, author, userId, text, attachment, replyTo, now);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                c.commit();
                return new Appended(new ChatMessage(id, seq, room, clientId, author, userId, text, attachment, now,
                        false, false, replyTo), true);
            } catch (SQLException e) {
                c.rollback();
                if (clientId != null && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    c.setAutoCommit(true);
                    return new Appended(findByClientId(c, room, clientId).orElseThrow(() -> e), false);
                }
                throw e;
            } finally {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    /**
     * PostgreSQL: the room's counter and the message in one statement (a data-modifying CTE), so the room's row is
     * locked only while the statement runs and a send costs one round trip, as a plain insert did.
     */
    private Appended appendInOneStatement(String room, String clientId, String author, String userId, String text,
                                          ChatMessage.Attachment attachment, Long replyTo, long now)
            throws SQLException {
        String sql = "WITH r AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE name = ? RETURNING last_seq) "
                + "INSERT INTO messages (room, seq, client_id, author, user_id, text, attachment_url, attachment_name, "
                + "attachment_type, attachment_size, created_at, reply_to) "
                + "SELECT ?, r.last_seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM r "
                + "RETURNING id, seq";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, room);
            ps.setString(2, room);
            bindFrom3(ps, clientId, author, userId, text, attachment, replyTo, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("room " + room + " has no row");
                }
                return new Appended(new ChatMessage(rs.getLong(1), rs.getLong(2), room, clientId, author, userId, text,
                        attachment, now, false, false, replyTo), true);
            } catch (SQLException e) {
                if (clientId != null && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return new Appended(findByClientId(c, room, clientId).orElseThrow(() -> e), false);
                }
                throw e;
            }
        }
    }

    /** Binds a message's own columns, client_id to reply_to, as parameters 3 to 12 of both insert forms. */
    private static void bindFrom3(PreparedStatement ps, String clientId, String author, String userId, String text,
                                  ChatMessage.Attachment attachment, Long replyTo, long now) throws SQLException {
        ps.setString(3, clientId);
        ps.setString(4, author);
        ps.setString(5, userId);
        ps.setString(6, text);
        ps.setString(7, attachment == null ? null : attachment.url());
        ps.setString(8, attachment == null ? null : attachment.name());
        ps.setString(9, attachment == null ? null : attachment.type());
        if (attachment == null) {
            ps.setNull(10, Types.BIGINT);
        } else {
            ps.setLong(10, attachment.size());
        }
        ps.setLong(11, now);
        if (replyTo == null) {
            ps.setNull(12, Types.BIGINT);
        } else {
            ps.setLong(12, replyTo);
        }
    }

    /** Takes the room's next sequence number; its row stays locked until the transaction ends. */
    private static long nextSeq(Connection c, String room) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE rooms SET last_seq = last_seq + 1 WHERE name = ?")) {
            up.setString(1, room);
            if (up.executeUpdate() != 1) {
                throw new SQLException("room " + room + " has no row");
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT last_seq FROM rooms WHERE name = ?")) {
            q.setString(1, room);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Optional<ChatMessage> findByClientId(Connection c, String room, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM messages WHERE room = ? AND client_id = ?")) {
            ps.setString(1, room);
            ps.setString(2, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public Optional<ChatMessage> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The messages with these ids (any room; unknown ids are skipped), in id order. */
    public List<ChatMessage> findAll(java.util.Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + COLUMNS + " FROM messages WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") ORDER BY id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (long id : ids) {
                ps.setLong(i++, id);
            }
            return readAll(ps);
        }
    }

    /** The replies to a message, oldest first, at most {@code limit}. */
    public List<ChatMessage> replies(long parentId, int limit) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM messages WHERE reply_to = ? ORDER BY id ASC LIMIT ?")) {
            ps.setLong(1, parentId);
            ps.setInt(2, limit);
            return readAll(ps);
        }
    }

    /** The newest {@code limit} messages with id below {@code beforeId} (all when null), oldest first. */
    public List<ChatMessage> history(String room, Long beforeId, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM messages WHERE room = ?"
                + (beforeId == null ? "" : " AND id < ?") + " ORDER BY id DESC LIMIT ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, room);
            if (beforeId != null) {
                ps.setLong(i++, beforeId);
            }
            ps.setInt(i, limit);
            List<ChatMessage> out = readAll(ps);
            Collections.reverse(out);
            return out;
        }
    }

    /**
     * Messages (not deleted) that contain every one of {@code words}, in the default room or the rooms the user is
     * a member of, newest first, older than {@code beforeId} when given, at most {@code limit}. PostgreSQL matches
     * words and word prefixes with its text search (index {@code idx_messages_search}); H2 matches them as
     * substrings of the lower-cased text. Words are letters and digits only (see {@code MessageSearch}).
     */
    public List<ChatMessage> search(String userId, String defaultRoom, List<String> words, Long beforeId, int limit)
            throws SQLException {
        if (words.isEmpty()) {
            return List.of();
        }
        try (Connection c = ds.getConnection()) {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM messages WHERE deleted = FALSE "
                    + "AND (room = ? OR room IN (SELECT room FROM memberships WHERE user_id = ?))");
            if (postgres) {
                sql.append(" AND to_tsvector('simple', text) @@ to_tsquery('simple', ?)");
            } else {
                sql.append(" AND LOWER(text) LIKE ?".repeat(words.size()));
            }
            if (beforeId != null) {
                sql.append(" AND id < ?");
            }
            sql.append(" ORDER BY id DESC LIMIT ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, defaultRoom);
                ps.setString(i++, userId);
                if (postgres) {
                    ps.setString(i++, String.join(" & ", words.stream().map(w -> w + ":*").toList()));
                } else {
                    for (String w : words) {
                        ps.setString(i++, "%" + w + "%");
                    }
                }
                if (beforeId != null) {
                    ps.setLong(i++, beforeId);
                }
                ps.setInt(i, limit);
                return readAll(ps);
            }
        }
    }

    /** Messages with id above {@code afterId}, oldest first, at most {@code limit}: what a reconnecting client missed. */
    public List<ChatMessage> since(String room, long afterId, int limit) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM messages WHERE room = ? AND id > ? ORDER BY id ASC LIMIT ?")) {
            ps.setString(1, room);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
            return readAll(ps);
        }
    }

    /** Whether any message (deleted ones keep no attachment) points to this upload URL. */
    public boolean refersTo(String attachmentUrl) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages WHERE attachment_url = ?")) {
            ps.setString(1, attachmentUrl);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The newest message id of a room, 0 when it has none. */
    public long lastId(String room) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM messages WHERE room = ?")) {
            ps.setString(1, room);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Replaces the text of a message by its author; empty when there is no such message of that user. */
    public Optional<ChatMessage> edit(long id, String userId, String text) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE messages SET text = ?, edited = TRUE WHERE id = ? AND user_id = ? AND deleted = FALSE")) {
            ps.setString(1, text);
            ps.setLong(2, id);
            ps.setString(3, userId);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return find(id);
    }

    /**
     * Deletes (blanks) a message by its author, or any message when {@code userId} is null (a moderator); empty
     * when there is no such message (of that user).
     */
    public Optional<ChatMessage> delete(long id, String userId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE messages SET text = '', attachment_url = NULL, attachment_name = NULL, attachment_type = NULL, "
                        + "attachment_size = NULL, deleted = TRUE WHERE id = ? AND (? IS NULL OR user_id = ?)")) {
            ps.setLong(1, id);
            ps.setString(2, userId);
            ps.setString(3, userId);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return find(id);
    }

    /** Records that a user has read a room up to a message id (never moves backwards). */
    public void markRead(String userId, String room, long lastId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE room_reads SET last_read = ? WHERE user_id = ? AND room = ? AND last_read < ?")) {
                up.setLong(1, lastId);
                up.setString(2, userId);
                up.setString(3, room);
                up.setLong(4, lastId);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO room_reads (user_id, room, last_read) VALUES (?, ?, ?)")) {
                ins.setString(1, userId);
                ins.setString(2, room);
                ins.setLong(3, lastId);
                ins.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // The row exists with a newer or equal marker.
            }
        }
    }

    /**
     * Unread message counts of a user in the given rooms (messages by others after the read marker), each at most
     * {@link #UNREAD_CAP}: counting a long-abandoned busy room must not cost a scan of its whole history.
     */
    public Map<String, Long> unreadCounts(String userId, List<String> rooms) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE m.room = ? AND m.user_id <> ? AND m.deleted = FALSE "
                        + "AND m.id > COALESCE((SELECT r.last_read FROM room_reads r WHERE r.user_id = ? AND r.room = ?), 0) "
                        + "LIMIT " + UNREAD_CAP + ") t")) {
            for (String room : rooms) {
                ps.setString(1, room);
                ps.setString(2, userId);
                ps.setString(3, userId);
                ps.setString(4, room);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.put(room, rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Removes every message and marker (tests and demos). */
    public void clear() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM messages");
            st.execute("DELETE FROM room_reads");
            st.execute("UPDATE rooms SET last_seq = 0");
        }
    }

    private static List<ChatMessage> readAll(PreparedStatement ps) throws SQLException {
        List<ChatMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static ChatMessage read(ResultSet rs) throws SQLException {
        String url = rs.getString("attachment_url");
        ChatMessage.Attachment a = url == null ? null : new ChatMessage.Attachment(url,
                rs.getString("attachment_name"), rs.getString("attachment_type"), rs.getLong("attachment_size"));
        return new ChatMessage(rs.getLong("id"), rs.getLong("seq"), rs.getString("room"), rs.getString("client_id"),
                rs.getString("author"), rs.getString("user_id"), rs.getString("text"), a, rs.getLong("created_at"),
                rs.getBoolean("edited"), rs.getBoolean("deleted"), replyTo(rs));
    }

    private static Long replyTo(ResultSet rs) throws SQLException {
        long id = rs.getLong("reply_to");
        return rs.wasNull() ? null : id;
    }
}
