package io.hibiki.chat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Databases of the tests' own on the machine's PostgreSQL (127.0.0.1:5432, trust auth). */
final class TestDatabases {

    private TestDatabases() {
    }

    /** Drops (ending its sessions) and creates database {@code name}; returns its {@code postgres://} URL. */
    static String fresh(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        return "postgres://postgres@127.0.0.1:5432/" + name;
    }
}
