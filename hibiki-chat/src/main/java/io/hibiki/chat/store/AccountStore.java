package io.hibiki.chat.store;

import io.hibiki.chat.account.Account;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Accounts and their sign-in sessions. Sessions are found by the hash of their secret; a session's row is its
 * whole life (deleted at sign-out, expiry, password change, suspension). Blocking: call it from worker threads.
 */
public final class AccountStore {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "user_id, handle, display_name, is_admin, suspended";

    private final DataSource ds;

    public AccountStore(DataSource ds) {
        this.ds = ds;
    }

    /** A stored account with its password hash (for sign-in). */
    public record Credentials(Account account, String passwordHash) {
    }

    /**
     * Creates an account (and its users row, so that others can open a conversation with it); empty when the
     * handle key is taken. {@code adminIfFirst}: the account becomes an admin when it is the first account of the
     * store, decided by a unique row in {@code store_meta} so that two sign-ups at once cannot both be first.
     */
    public Optional<Account> create(Account a, String handleKey, String passwordHash, boolean adminIfFirst, long now)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (user_id, handle, handle_key, "
                        + "display_name, password_hash, is_admin, suspended, created_at) VALUES (?, ?, ?, ?, ?, ?, FALSE, ?)")) {
                    ps.setString(1, a.userId());
                    ps.setString(2, a.handle());
                    ps.setString(3, handleKey);
                    ps.setString(4, a.displayName());
                    ps.setString(5, passwordHash);
                    ps.setBoolean(6, a.admin());
                    ps.setLong(7, now);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (user_id, nickname, seen_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, a.userId());
                    ps.setString(2, a.displayName());
                    ps.setLong(3, now);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return Optional.empty();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            if (!a.admin() && adminIfFirst) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO store_meta (meta_key, meta_value) VALUES ('first-account', ?)")) {
                    ps.setString(1, a.userId());
                    ps.executeUpdate();
                    update("UPDATE accounts SET is_admin = TRUE WHERE user_id = ?", a.userId());
                    return Optional.of(new Account(a.userId(), a.handle(), a.displayName(), true, false));
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            return Optional.of(a);
        }
    }

    public Optional<Credentials> byHandleKey(String handleKey) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + ", password_hash FROM accounts WHERE handle_key = ?")) {
            ps.setString(1, handleKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(read(rs), rs.getString("password_hash")))
                        : Optional.empty();
            }
        }
    }

    public Optional<Credentials> byUserId(String userId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + ", password_hash FROM accounts WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(read(rs), rs.getString("password_hash")))
                        : Optional.empty();
            }
        }
    }

    /** The account of a handle (its key), without credentials. */
    public Optional<Account> byHandle(String handleKey) throws SQLException {
        return byHandleKey(handleKey).map(Credentials::account);
    }

    /** Whether the user is an admin now (asked at each moderation request, so a change is honoured at once). */
    public boolean isAdmin(String userId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM accounts WHERE user_id = ? AND is_admin = TRUE AND suspended = FALSE")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Suspends (or reinstates) an account; false when there is no such account. */
    public boolean setSuspended(String userId, boolean suspended) throws SQLException {
        return update("UPDATE accounts SET suspended = " + (suspended ? "TRUE" : "FALSE") + " WHERE user_id = ?",
                userId) > 0;
    }

    /**
     * Accounts (not suspended) whose handle or display name contains {@code query} (any case; blank: all), by
     * handle, after the handle key {@code after}, at most {@code limit}.
     */
    public List<Account> directory(String query, String after, int limit) throws SQLException {
        String q = query == null ? "" : query.strip().toLowerCase(java.util.Locale.ROOT);
        String like = Like.containing(q);
        List<Account> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + ", handle_key FROM accounts WHERE suspended = FALSE AND handle_key > ? "
                        + "AND (handle_key LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\') "
                        + "ORDER BY handle_key LIMIT ?")) {
            ps.setString(1, after == null ? "" : after);
            ps.setString(2, like);
            ps.setString(3, like);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    public void setPasswordHash(String userId, String hash) throws SQLException {
        update("UPDATE accounts SET password_hash = ? WHERE user_id = ?", hash, userId);
    }

    /** Makes accounts admins by handle key (ADMIN_HANDLES); returns how many changed. */
    public int grantAdmin(List<String> handleKeys) throws SQLException {
        int n = 0;
        for (String key : handleKeys) {
            n += update("UPDATE accounts SET is_admin = TRUE WHERE handle_key = ? AND is_admin = FALSE", key);
        }
        return n;
    }

    /**
     * Changes the display name everywhere it is shown: the account, the users row others see in directories, and
     * the author of every message the account wrote, in one transaction.
     */
    public void rename(String userId, String displayName) throws SQLException {
        Transaction.run(ds, List.of("UPDATE accounts SET display_name = ? WHERE user_id = ?",
                "UPDATE users SET nickname = ? WHERE user_id = ?",
                "UPDATE messages SET author = ? WHERE user_id = ?"), displayName, userId);
    }

    public void createSession(String tokenHash, String userId, long now, long expiresAt) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, tokenHash);
            ps.setString(2, userId);
            ps.setLong(3, now);
            ps.setLong(4, expiresAt);
            ps.executeUpdate();
        }
    }

    /** The account of a live session (not expired at {@code now}), suspended or not. */
    public Optional<Account> sessionAccount(String tokenHash, long now) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.user_id, a.handle, a.display_name, a.is_admin, a.suspended FROM sessions s "
                        + "JOIN accounts a ON a.user_id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?")) {
            ps.setString(1, tokenHash);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Moves a session's expiry (sliding sessions: one in use does not end while it is used). */
    public void extendSession(String tokenHash, long expiresAt) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at < ?")) {
            ps.setLong(1, expiresAt);
            ps.setString(2, tokenHash);
            ps.setLong(3, expiresAt);
            ps.executeUpdate();
        }
    }

    /** Ends one session; false when there was none. */
    public boolean deleteSession(String tokenHash) throws SQLException {
        return update("DELETE FROM sessions WHERE token_hash = ?", tokenHash) > 0;
    }

    /**
     * Ends every session of the user but the one whose hash starts with {@code keep} (null: all); returns the
     * hashes ended.
     */
    public List<String> deleteSessions(String userId, String keep) throws SQLException {
        List<String> ended = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM sessions WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (keep == null || !rs.getString(1).startsWith(keep)) {
                            ended.add(rs.getString(1));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                for (String h : ended) {
                    ps.setString(1, h);
                    ps.executeUpdate();
                }
            }
        }
        return ended;
    }

    /** Removes sessions that expired before {@code now}; returns how many. */
    public int deleteExpired(long now) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
            ps.setLong(1, now);
            return ps.executeUpdate();
        }
    }

    private int update(String sql, String... values) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static Account read(ResultSet rs) throws SQLException {
        return new Account(rs.getString("user_id"), rs.getString("handle"), rs.getString("display_name"),
                rs.getBoolean("is_admin"), rs.getBoolean("suspended"));
    }
}
