package io.hibiki.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Rooms, who is a member of which (direct rooms included), and the users people can talk to: the server's truth
 * about membership, read on every connect. Blocking: call it from the chat's worker threads.
 */
public final class RoomStore {

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource ds;
    /** Rooms known to have their row: most sends skip the insert. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public RoomStore(DataSource ds) {
        this.ds = ds;
    }

    /** A room the user is a member of, with what a client needs to show it before loading any message. */
    public record Member(String room, String kind, long lastSeq, long lastRead, boolean muted, RoomInfo info) {
    }

    /**
     * What a room is: its kind ({@code room}, {@code direct}, {@code group}), title and topic, whether it is
     * listed ({@code public}) or invite-only ({@code private}), its owner (null: none, admins manage it), archived.
     */
    public record RoomInfo(String name, String kind, String title, String topic, String visibility, String ownerId,
                           boolean archived) {

        public boolean isPrivate() {
            return "private".equals(visibility);
        }
    }

    /** A room as the directory lists it. */
    public record Listed(String name, String title, String topic, long members) {
    }

    private static final String INFO = "r.name, r.kind, COALESCE(r.title, r.name), r.topic, r.visibility, r.owner_id, "
            + "r.archived";

    private static RoomInfo info(ResultSet rs, int from) throws SQLException {
        return new RoomInfo(rs.getString(from), rs.getString(from + 1), rs.getString(from + 2),
                rs.getString(from + 3), rs.getString(from + 4), rs.getString(from + 5), rs.getBoolean(from + 6));
    }

    /** The room, or empty when it does not exist (yet). */
    public Optional<RoomInfo> info(String room) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + INFO + " FROM rooms r WHERE r.name = ?")) {
            ps.setString(1, room);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(info(rs, 1)) : Optional.empty();
            }
        }
    }

    /** Creates a room; false when one of that name exists. */
    public boolean create(RoomInfo room, long now) throws SQLException {
        boolean created = InsertIfAbsent.run(ds, "INSERT INTO rooms (name, kind, last_seq, created_at, title, topic, "
                + "visibility, owner_id, archived) VALUES (?, ?, 0, ?, ?, ?, ?, ?, FALSE)", ps -> {
                    ps.setString(1, room.name());
                    ps.setString(2, room.kind());
                    ps.setLong(3, now);
                    ps.setString(4, room.title());
                    ps.setString(5, room.topic());
                    ps.setString(6, room.visibility());
                    ps.setString(7, room.ownerId());
                });
        known.add(room.name());
        return created;
    }

    /** Changes a room's title and topic (null: unchanged). */
    public void describeRoom(String room, String title, String topic) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE rooms SET title = COALESCE(?, title), topic = COALESCE(?, topic) WHERE name = ?")) {
            ps.setString(1, title);
            ps.setString(2, topic);
            ps.setString(3, room);
            ps.executeUpdate();
        }
    }

    public void setArchived(String room, boolean archived) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE rooms SET archived = ? WHERE name = ?")) {
            ps.setBoolean(1, archived);
            ps.setString(2, room);
            ps.executeUpdate();
        }
    }

    /** Deletes a room with its messages, memberships and read markers, in one transaction. */
    public void delete(String room) throws SQLException {
        Transaction.run(ds, List.of("DELETE FROM reactions WHERE message_id IN (SELECT id FROM messages WHERE room = ?)",
                "DELETE FROM messages WHERE room = ?", "DELETE FROM memberships WHERE room = ?",
                "DELETE FROM room_reads WHERE room = ?", "DELETE FROM rooms WHERE name = ?"), room);
        known.remove(room);
    }

    /**
     * Public, unarchived rooms whose name, title or topic contains {@code query} (any case; null or blank: all),
     * ordered by name, after {@code after} (null: from the start), at most {@code limit}, with member counts.
     */
    public List<Listed> directory(String query, String after, int limit) throws SQLException {
        String q = query == null ? "" : query.strip().toLowerCase(java.util.Locale.ROOT);
        String like = Like.containing(q);
        List<Listed> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT r.name, COALESCE(r.title, r.name), r.topic, "
                        + "(SELECT COUNT(*) FROM memberships m WHERE m.room = r.name) FROM rooms r "
                        + "WHERE r.kind = 'room' AND r.visibility = 'public' AND r.archived = FALSE AND r.name > ? "
                        + "AND (LOWER(r.name) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(r.title, '')) LIKE ? ESCAPE '\\' "
                        + "OR LOWER(r.topic) LIKE ? ESCAPE '\\') ORDER BY r.name LIMIT ?")) {
            ps.setString(1, after == null ? "" : after);
            ps.setString(2, like);
            ps.setString(3, like);
            ps.setString(4, like);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Listed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** How many users the chat knows (the default room's members: everyone). */
    public long userCount() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Makes sure a room has its row (and sequence counter). */
    public void ensure(String room, long now) throws SQLException {
        if (known.contains(room)) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            boolean exists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM rooms WHERE name = ?")) {
                q.setString(1, room);
                try (ResultSet rs = q.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO rooms (name, kind, last_seq, created_at, visibility) VALUES (?, ?, 0, ?, ?)")) {
                    ins.setString(1, room);
                    ins.setString(2, kindOf(room));
                    ins.setLong(3, now);
                    // Conversations are never listed; a room made by joining it is public, as the tutorial's are.
                    ins.setString(4, kindOf(room).equals("room") ? "public" : "private");
                    ins.executeUpdate();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e; // otherwise another writer made it first
                    }
                }
            }
        }
        known.add(room);
    }

    /** The kind a room's name says: direct and group conversations have reserved prefixes. */
    static String kindOf(String room) {
        return room.startsWith("dm:") ? "direct" : room.startsWith("group:") ? "group" : "room";
    }

    /** Adds a membership the user chose; false when the user already was a member. */
    public boolean join(String userId, String room, long now) throws SQLException {
        return join(userId, room, now, false);
    }

    /**
     * Adds a membership; false when the user already was a member. {@code invited}: someone else put the user
     * there (a direct room they opened), which does not count against the user's own limit.
     */
    public boolean join(String userId, String room, long now, boolean invited) throws SQLException {
        ensure(room, now);
        return InsertIfAbsent.run(ds, "INSERT INTO memberships (user_id, room, joined_at, invited) VALUES (?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, room);
                    ps.setLong(3, now);
                    ps.setBoolean(4, invited);
                });
    }

    /** Removes a membership; false when the user was not a member. */
    public boolean leave(String userId, String room) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM memberships WHERE user_id = ? AND room = ?")) {
            ps.setString(1, userId);
            ps.setString(2, room);
            return ps.executeUpdate() > 0;
        }
    }

    public boolean isMember(String userId, String room) throws SQLException {
        return exists("SELECT 1 FROM memberships WHERE user_id = ? AND room = ?", userId, room);
    }

    /** Whether the query, with these two parameters, finds a row. */
    private boolean exists(String sql, String first, String second) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, first);
            ps.setString(2, second);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** How many rooms a user chose to be in (direct rooms others opened with them not counted). */
    public int count(String userId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM memberships WHERE user_id = ? AND invited = FALSE")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * The rooms of a user, at most {@code limit}: those the user chose first, then direct rooms others opened with
     * them, each most recently joined first; with their sequence counters and the user's read markers. However many
     * conversations strangers open with someone, the rooms they chose always fit.
     */
    public List<Member> roomsOf(String userId, int limit) throws SQLException {
        List<Member> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT m.room, r.kind, r.last_seq, COALESCE(rr.last_read, 0), m.muted, " + INFO + " FROM memberships m "
                        + "JOIN rooms r ON r.name = m.room "
                        + "LEFT JOIN room_reads rr ON rr.user_id = m.user_id AND rr.room = m.room "
                        + "WHERE m.user_id = ? ORDER BY m.invited, m.joined_at DESC, m.room LIMIT ?")) {
            ps.setString(1, userId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Member(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getBoolean(5), info(rs, 6)));
                }
            }
        }
        return out;
    }

    /** A room's sequence counter and the user's read marker, whether or not they are a member. */
    public Member describe(String userId, String room) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT r.kind, r.last_seq, COALESCE((SELECT rr.last_read FROM room_reads rr "
                        + "WHERE rr.user_id = ? AND rr.room = r.name), 0), COALESCE((SELECT m.muted FROM memberships m "
                        + "WHERE m.user_id = ? AND m.room = r.name), FALSE), " + INFO + " FROM rooms r WHERE r.name = ?")) {
            ps.setString(1, userId);
            ps.setString(2, userId);
            ps.setString(3, room);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    String kind = kindOf(room);
                    return new Member(room, kind, 0, 0, false, new RoomInfo(room, kind, room, "",
                            kind.equals("room") ? "public" : "private", null, false));
                }
                return new Member(room, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4), info(rs, 5));
            }
        }
    }

    /** Mutes or unmutes a room for a member; false when they are not a member of it. */
    public boolean setMuted(String userId, String room, boolean muted) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE memberships SET muted = ? WHERE user_id = ? AND room = ?")) {
            ps.setBoolean(1, muted);
            ps.setString(2, userId);
            ps.setString(3, room);
            return ps.executeUpdate() > 0;
        }
    }

    /** Whether {@code userId} has blocked {@code other}. */
    public boolean blocked(String userId, String other) throws SQLException {
        return exists("SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?", userId, other);
    }

    /** Blocks or unblocks {@code other} for {@code userId}. */
    public void block(String userId, String other, boolean block, long now) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(block
                ? "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)"
                : "DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, other);
            if (block) {
                ps.setLong(3, now);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e; // otherwise already blocked
            }
        }
    }

    /** The second before which the user's tokens are revoked (0: none). */
    public long revokedBefore(String userId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT revoked_before FROM users WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Revokes every token of the user issued before {@code second}. */
    public void revokeBefore(String userId, long second) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET revoked_before = ? WHERE user_id = ? AND revoked_before < ?")) {
            ps.setLong(1, second);
            ps.setString(2, userId);
            ps.setLong(3, second);
            ps.executeUpdate();
        }
    }

    /** Records that a user is around under this nickname (others can then start a conversation with them). */
    public void seen(String userId, String nickname, long now) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE users SET nickname = ?, seen_at = ? WHERE user_id = ?")) {
                up.setString(1, nickname);
                up.setLong(2, now);
                up.setString(3, userId);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO users (user_id, nickname, seen_at) VALUES (?, ?, ?)")) {
                ins.setString(1, userId);
                ins.setString(2, nickname);
                ins.setLong(3, now);
                ins.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Records that a user is around, leaving their name as it is (an account's name is the account's). */
    public void touch(String userId, long now) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement up = c.prepareStatement("UPDATE users SET seen_at = ? WHERE user_id = ?")) {
            up.setLong(1, now);
            up.setString(2, userId);
            up.executeUpdate();
        }
    }

    /** The last nickname of a user the chat has seen, or empty for an unknown user. */
    public Optional<String> nickname(String userId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT nickname FROM users WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
