package io.hibiki.chat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Several statements that stand or fall together: all committed, or (on any failure) none. */
final class Transaction {

    private Transaction() {
    }

    /** Runs each statement with the same parameter values, in order, in one transaction. */
    static void run(DataSource ds, List<String> statements, String... values) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (String sql : statements) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < values.length; i++) {
                            ps.setString(i + 1, values[i]);
                        }
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
