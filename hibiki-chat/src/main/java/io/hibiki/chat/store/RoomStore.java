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
    public record Member(String room, String kind, long lastSeq, long lastRead, boolean muted) {
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
                        "INSERT INTO rooms (name, kind, last_seq, created_at) VALUES (?, ?, 0, ?)")) {
                    ins.setString(1, room);
                    ins.setString(2, room.startsWith("dm:") ? "direct" : "room");
                    ins.setLong(3, now);
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
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO memberships (user_id, room, joined_at, invited) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, userId);
            ps.setString(2, room);
            ps.setLong(3, now);
            ps.setBoolean(4, invited);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
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
                "SELECT m.room, r.kind, r.last_seq, COALESCE(rr.last_read, 0), m.muted FROM memberships m "
                        + "JOIN rooms r ON r.name = m.room "
                        + "LEFT JOIN room_reads rr ON rr.user_id = m.user_id AND rr.room = m.room "
                        + "WHERE m.user_id = ? ORDER BY m.invited, m.joined_at DESC, m.room LIMIT ?")) {
            ps.setString(1, userId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Member(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getBoolean(5)));
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
                        + "WHERE m.user_id = ? AND m.room = r.name), FALSE) FROM rooms r WHERE r.name = ?")) {
            ps.setString(1, userId);
            ps.setString(2, userId);
            ps.setString(3, room);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Member(room, room.startsWith("dm:") ? "direct" : "room", 0, 0, false);
                }
                return new Member(room, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4));
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
