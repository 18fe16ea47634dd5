package io.hibiki.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * An insert that may find its row already there (a unique key taken by an earlier or a concurrent writer): that is
 * an answer, not an error. The database decides, so two instances racing for the same row agree.
 */
final class InsertIfAbsent {

    /** SQLSTATE of a unique-constraint violation, in H2 and PostgreSQL alike. */
    static final String UNIQUE_VIOLATION = "23505";

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private InsertIfAbsent() {
    }

    /** Runs the insert; false when a unique key was taken (nothing was inserted). */
    static boolean run(DataSource ds, String sql, Binder binder) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
