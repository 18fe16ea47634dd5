package io.hibiki.adminui;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the admin UI's server side, as {@code instrument(io, opts)} takes them in Node. Immutable; each
 * {@code with…} returns a copy.
 *
 * @param namespace     the admin namespace (Node: {@code /admin})
 * @param username      the user the UI signs in as; {@code null} when authentication is off
 * @param passwordHash  the bcrypt hash of its password ({@code $2a$}, {@code $2b$} or {@code $2y$}, as bcryptjs
 *                      and htpasswd write them); {@code null} when authentication is off
 * @param readonly      no commands from the UI (emit, join, leave, disconnect), only watching
 * @param serverId      this server's name in the UI (Node: the host name)
 * @param development   the socket-by-socket events (connections, disconnections, events received and sent) and the
 *                      list of all sockets on connect; off in production, as Node's {@code mode: "production"}
 * @param statsInterval how often this server's stats go to every admin (Node: 2 s)
 * @param maxSessions   sessions (signed-in UIs) kept at once; the oldest goes first past it
 * @param sessionTtl    how long a session lets a UI reconnect without the password
 */
public record AdminUiOptions(String namespace, String username, String passwordHash, boolean readonly,
                             String serverId, boolean development, Duration statsInterval, int maxSessions,
                             Duration sessionTtl) {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    /**
     * Validates the settings.
     *
     * @param namespace     starts with {@code /}
     * @param username      with {@code passwordHash}, or both {@code null}
     * @param passwordHash  a bcrypt hash, or {@code null}
     * @param readonly      whether commands are refused
     * @param serverId      not empty
     * @param development   whether socket-by-socket events are sent
     * @param statsInterval positive
     * @param maxSessions   positive
     * @param sessionTtl    positive
     */
    public AdminUiOptions {
        if (namespace == null || !namespace.startsWith("/")) {
            throw new IllegalArgumentException("namespace must start with '/': " + namespace);
        }
        if ((username == null) != (passwordHash == null)) {
            throw new IllegalArgumentException("give both username and password hash, or neither");
        }
        if (passwordHash != null && !BCRYPT.matcher(passwordHash).matches()) {
            throw new IllegalArgumentException("the password must be a bcrypt hash ($2a$, $2b$ or $2y$)");
        }
        if (serverId == null || serverId.isEmpty()) {
            throw new IllegalArgumentException("serverId must not be empty");
        }
        Objects.requireNonNull(statsInterval, "statsInterval");
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (statsInterval.isNegative() || statsInterval.isZero() || sessionTtl.isNegative() || sessionTtl.isZero()
                || maxSessions < 1) {
            throw new IllegalArgumentException("statsInterval, sessionTtl and maxSessions must be positive");
        }
    }

    /**
     * Basic authentication, as Node's {@code auth: {type: "basic", username, password}}.
     *
     * @param username     the user name the UI gives
     * @param passwordHash the bcrypt hash of the password
     * @return development mode, commands allowed, server id the host name, stats every 2 s, up to 1,000 sessions
     *         of 24 hours
     */
    public static AdminUiOptions basicAuth(String username, String passwordHash) {
        return new AdminUiOptions("/admin", Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(passwordHash, "passwordHash"), false, hostname(), true, Duration.ofSeconds(2),
                1000, Duration.ofHours(24));
    }

    /**
     * No authentication ({@code auth: false} in Node): anyone who reaches the server can watch and command it.
     * For a development machine only.
     *
     * @return as {@link #basicAuth} without the credentials
     */
    public static AdminUiOptions withoutAuth() {
        return new AdminUiOptions("/admin", null, null, false, hostname(), true, Duration.ofSeconds(2), 1000,
                Duration.ofHours(24));
    }

    /** @return whether the UI must sign in */
    public boolean authenticated() {
        return passwordHash != null;
    }

    /**
     * @param name the admin namespace
     * @return a copy with it
     */
    public AdminUiOptions withNamespace(String name) {
        return new AdminUiOptions(name, username, passwordHash, readonly, serverId, development, statsInterval,
                maxSessions, sessionTtl);
    }

    /**
     * @param ro whether commands are refused
     * @return a copy with it
     */
    public AdminUiOptions withReadonly(boolean ro) {
        return new AdminUiOptions(namespace, username, passwordHash, ro, serverId, development, statsInterval,
                maxSessions, sessionTtl);
    }

    /**
     * @param id this server's name in the UI
     * @return a copy with it
     */
    public AdminUiOptions withServerId(String id) {
        return new AdminUiOptions(namespace, username, passwordHash, readonly, id, development, statsInterval,
                maxSessions, sessionTtl);
    }

    /**
     * @param dev whether socket-by-socket events are sent (Node's development mode)
     * @return a copy with it
     */
    public AdminUiOptions withDevelopment(boolean dev) {
        return new AdminUiOptions(namespace, username, passwordHash, readonly, serverId, dev, statsInterval,
                maxSessions, sessionTtl);
    }

    /**
     * @param interval how often stats are sent
     * @return a copy with it
     */
    public AdminUiOptions withStatsInterval(Duration interval) {
        return new AdminUiOptions(namespace, username, passwordHash, readonly, serverId, development, interval,
                maxSessions, sessionTtl);
    }

    static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
