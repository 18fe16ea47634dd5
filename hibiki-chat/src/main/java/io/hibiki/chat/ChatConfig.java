package io.hibiki.chat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat's settings, from environment variables, each overridable by a {@code --name=value} flag with the
 * variable's name in lower case and dashes ({@code PORT} ↔ {@code --port}).
 *
 * @param host            interface to listen on ({@code HOST}, default 127.0.0.1; 0.0.0.0 for all)
 * @param port            HTTP port ({@code PORT}, default 3000)
 * @param socketIoPaths   Socket.IO endpoints ({@code SOCKETIO_PATHS}, default "/socket.io,/api/socket_io")
 * @param corsOrigins     origins allowed cross-site ({@code CORS_ORIGINS}, comma-separated; default none)
 * @param dataDir         where the embedded database lives ({@code DATA_DIR}, default ./data)
 * @param databaseUrl     PostgreSQL ({@code DATABASE_URL}, postgres:// or jdbc:); default the embedded H2 file
 * @param redisUrl        Redis for multi-instance ({@code REDIS_URL}); default none
 * @param uploadDir       uploaded files ({@code UPLOAD_DIR}, default DATA_DIR/uploads)
 * @param uploadMaxBytes  largest upload ({@code UPLOAD_MAX_BYTES}, default 10 MiB)
 * @param defaultRoom     the room every connection joins ({@code DEFAULT_ROOM}, default "general")
 * @param maxMessageChars longest message text ({@code MAX_MESSAGE_CHARS}, default 2000)
 * @param eventsPerSecond sustained events per connection before "rate_limited" ({@code EVENTS_PER_SECOND}, default 10)
 * @param eventBurst      burst allowance ({@code EVENT_BURST}, default 30)
 * @param eventQueue      events over the rate held per connection before one is refused ({@code EVENT_QUEUE},
 *                        default 50)
 * @param eventFloodDisconnect refused events (past the queue) within 10 s after which a connection is disconnected
 *                        ({@code EVENT_FLOOD_DISCONNECT}, default 200; 0 never): a client that ignores its refusals
 *                        is flooding, and each refusal still costs the server
 * @param maxPacketBytes  largest Socket.IO packet or polling body a client may send ({@code MAX_PACKET_BYTES},
 *                        default 65536: a message is at most a few kilobytes, files go through uploads)
 * @param maxConnectionsPerIp Socket.IO sessions one address may hold ({@code MAX_CONNECTIONS_PER_IP}, default 100;
 *                        0 for no limit)
 * @param handshakesPerSecondPerIp new sessions per second per address, bursts of ten times that
 *                        ({@code HANDSHAKES_PER_SECOND_PER_IP}, default 20; 0 for no limit)
 * @param connectTimeoutMillis how long a session may go without joining the namespace before it is closed
 *                        ({@code CONNECT_TIMEOUT_MS}, default 10000)
 * @param uploadsPerMinute uploads per minute per user and per address, bursts of twice that
 *                        ({@code UPLOADS_PER_MINUTE}, default 10)
 * @param uploadQuotaBytesPerDay bytes one user may upload per day ({@code UPLOAD_QUOTA_BYTES_PER_DAY}, default
 *                        200 MiB)
 * @param uploadOrphanHours hours after which an upload no message refers to is removed
 *                        ({@code UPLOAD_ORPHAN_HOURS}, default 24)
 * @param httpHeadersTimeoutMillis time for an HTTP request's head ({@code HTTP_HEADERS_TIMEOUT_MS}, default 60000)
 * @param httpBodyTimeoutMillis time an HTTP request body may stall ({@code HTTP_BODY_TIMEOUT_MS}, default 30000)
 * @param httpKeepAliveTimeoutMillis time a kept-alive connection waits for its next request
 *                        ({@code HTTP_KEEP_ALIVE_TIMEOUT_MS}, default 5000)
 * @param allowedHosts    the {@code Host} names the chat answers to ({@code ALLOWED_HOSTS}, comma-separated, {@code *}
 *                        for any); default the configured {@code HOST} (unless it is a wildcard address) and the
 *                        loopback names
 * @param tokenTtlHours   how long a user token stays good after it was issued ({@code TOKEN_TTL_HOURS}, default 720:
 *                        30 days; each connect issues a fresh one)
 * @param trustedProxies  proxies whose {@code X-Forwarded-For} names the client, as addresses or CIDR ranges
 *                        ({@code TRUSTED_PROXIES}, comma-separated; default none: the header is ignored)
 * @param maxRoomsPerUser rooms (direct ones included) one user can be a member of ({@code MAX_ROOMS_PER_USER},
 *                        default 500)
 * @param newUsersPerHourPerIp new identities (connections without a valid user token) one address may create per
 *                        hour, all at once if it likes ({@code NEW_USERS_PER_HOUR_PER_IP}, default 300; 0 for no limit)
 * @param newConversationsPerHourPerIp direct conversations with someone not yet in them that the users of one
 *                        address may open per hour ({@code NEW_CONVERSATIONS_PER_HOUR_PER_IP}, default 120; 0 for no
 *                        limit); each user also has its own limit (20, then one every 30 s)
 * @param workerTurnsPerAddress turns on the chat's worker pool the connections of one client address may run at
 *                        once ({@code WORKER_TURNS_PER_ADDRESS}, default 2): many connections from one host cannot
 *                        make everyone else's events wait behind theirs
 * @param tlsCert         certificate chain, PEM ({@code TLS_CERT}; e.g. an ACME client's fullchain.pem); with
 *                        {@code TLS_KEY} the chat serves HTTPS and wss:// only, and reloads the pair when renewed
 * @param tlsKey          the certificate's private key, PEM ({@code TLS_KEY})
 * @param httpRedirectPort a plain-HTTP port that redirects every request to HTTPS ({@code HTTP_REDIRECT_PORT};
 *                        default 0: none). Only with TLS
 * @param hstsMaxAgeSeconds {@code Strict-Transport-Security} max-age on answers to HTTPS requests (direct, or
 *                        through a trusted proxy that says so) ({@code HSTS_MAX_AGE_SECONDS}, default 31536000: a
 *                        year; 0 sends none)
 * @param guests          whether people may chat without an account ({@code GUESTS}, {@code on} or {@code off};
 *                        default on): a client with no session is a guest named by the nickname it sends, as the
 *                        tutorial's client expects; off, connections need a signed-in session
 * @param adminHandles    handles that are admins ({@code ADMIN_HANDLES}, comma-separated; default none: the first
 *                        account created is the admin)
 * @param sessionTtlDays  days a sign-in session lasts without being used ({@code SESSION_TTL_DAYS}, default 30;
 *                        each use extends it)
 * @param signInsPerMinutePerIp sign-in attempts per minute per address, bursts of twice that
 *                        ({@code SIGNINS_PER_MINUTE_PER_IP}, default 10; 0 for no limit). Wrong passwords are also
 *                        limited per handle: five per address then one a minute, a hundred an hour in all
 * @param signUpsPerHourPerIp new accounts per hour per address ({@code SIGNUPS_PER_HOUR_PER_IP}, default 20; 0 for no
 *                        limit)
 * @param secret          key that signs user ids ({@code CHAT_SECRET}); default a random key kept in
 *                        DATA_DIR/secret (instances of one cluster must share it)
 * @param metrics         whether {@code GET /metrics} serves Prometheus metrics ({@code METRICS}, on or off; default
 *                        off)
 * @param metricsToken    the bearer token {@code /metrics} asks for ({@code METRICS_TOKEN}); without one it answers
 *                        loopback clients only
 * @param cluster         how instances share live traffic ({@code CLUSTER}): {@code redis} (the Redis adapter on
 *                        {@code REDIS_URL}), {@code postgres} (the PostgreSQL adapter on {@code DATABASE_URL}: no
 *                        Redis needed) or {@code none} (one instance); default {@code redis} when {@code REDIS_URL} is
 *                        set, else {@code none}
 */
public record ChatConfig(String host, int port, List<String> socketIoPaths, List<String> corsOrigins, Path dataDir,
                         String databaseUrl, String redisUrl, Path uploadDir, long uploadMaxBytes, String defaultRoom,
                         int maxMessageChars, double eventsPerSecond, int eventBurst, int eventQueue,
                         int eventFloodDisconnect,
                         int maxPacketBytes, int maxConnectionsPerIp, double handshakesPerSecondPerIp,
                         long connectTimeoutMillis, double uploadsPerMinute, long uploadQuotaBytesPerDay,
                         int uploadOrphanHours,
                         long httpHeadersTimeoutMillis, long httpBodyTimeoutMillis, long httpKeepAliveTimeoutMillis,
                         List<String> allowedHosts, long tokenTtlHours, List<String> trustedProxies,
                         int maxRoomsPerUser, int newUsersPerHourPerIp, int newConversationsPerHourPerIp,
                         int workerTurnsPerAddress, Path tlsCert, Path tlsKey, int httpRedirectPort, long hstsMaxAgeSeconds,
                         boolean guests, List<String> adminHandles, int sessionTtlDays, int signInsPerMinutePerIp,
                         int signUpsPerHourPerIp, String secret, boolean metrics, String metricsToken,
                         Cluster cluster) {

    public ChatConfig {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS_CERT and TLS_KEY go together: set both, or neither");
        }
        if (sessionTtlDays < 1) {
            throw new IllegalArgumentException("SESSION_TTL_DAYS must be at least 1");
        }
        if (httpRedirectPort != 0 && tlsCert == null) {
            throw new IllegalArgumentException("HTTP_REDIRECT_PORT redirects to HTTPS: it needs TLS_CERT and TLS_KEY");
        }
    }

    /** Whether the chat itself serves HTTPS. */
    public boolean tls() {
        return tlsCert != null;
    }

    public static ChatConfig fromEnvironment(String[] args) {
        Map<String, String> values = new HashMap<>(System.getenv());
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unknown argument " + arg + " (use --name=value)");
            }
            String name = arg.substring(2, arg.indexOf('=')).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
            values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        return from(values);
    }

    public static ChatConfig from(Map<String, String> v) {
        Path dataDir = Path.of(v.getOrDefault("DATA_DIR", "data"));
        return new ChatConfig(
                v.getOrDefault("HOST", "127.0.0.1"),
                Integer.parseInt(v.getOrDefault("PORT", "3000")),
                list(v.getOrDefault("SOCKETIO_PATHS", "/socket.io,/api/socket_io")),
                list(v.getOrDefault("CORS_ORIGINS", "")),
                dataDir,
                blankToNull(v.get("DATABASE_URL")),
                blankToNull(v.get("REDIS_URL")),
                v.containsKey("UPLOAD_DIR") ? Path.of(v.get("UPLOAD_DIR")) : dataDir.resolve("uploads"),
                Long.parseLong(v.getOrDefault("UPLOAD_MAX_BYTES", String.valueOf(10 * 1024 * 1024))),
                v.getOrDefault("DEFAULT_ROOM", "general"),
                Integer.parseInt(v.getOrDefault("MAX_MESSAGE_CHARS", "2000")),
                Double.parseDouble(v.getOrDefault("EVENTS_PER_SECOND", "10")),
                Integer.parseInt(v.getOrDefault("EVENT_BURST", "30")),
                Integer.parseInt(v.getOrDefault("EVENT_QUEUE", "50")),
                Integer.parseInt(v.getOrDefault("EVENT_FLOOD_DISCONNECT", "200")),
                Integer.parseInt(v.getOrDefault("MAX_PACKET_BYTES", "65536")),
                Integer.parseInt(v.getOrDefault("MAX_CONNECTIONS_PER_IP", "100")),
                Double.parseDouble(v.getOrDefault("HANDSHAKES_PER_SECOND_PER_IP", "20")),
                Long.parseLong(v.getOrDefault("CONNECT_TIMEOUT_MS", "10000")),
                Double.parseDouble(v.getOrDefault("UPLOADS_PER_MINUTE", "10")),
                Long.parseLong(v.getOrDefault("UPLOAD_QUOTA_BYTES_PER_DAY", String.valueOf(200L * 1024 * 1024))),
                Integer.parseInt(v.getOrDefault("UPLOAD_ORPHAN_HOURS", "24")),
                Long.parseLong(v.getOrDefault("HTTP_HEADERS_TIMEOUT_MS", "60000")),
                Long.parseLong(v.getOrDefault("HTTP_BODY_TIMEOUT_MS", "30000")),
                Long.parseLong(v.getOrDefault("HTTP_KEEP_ALIVE_TIMEOUT_MS", "5000")),
                allowedHosts(v.get("ALLOWED_HOSTS"), v.getOrDefault("HOST", "127.0.0.1")),
                Long.parseLong(v.getOrDefault("TOKEN_TTL_HOURS", "720")),
                list(v.getOrDefault("TRUSTED_PROXIES", "")),
                Integer.parseInt(v.getOrDefault("MAX_ROOMS_PER_USER", "500")),
                Integer.parseInt(v.getOrDefault("NEW_USERS_PER_HOUR_PER_IP", "300")),
                Integer.parseInt(v.getOrDefault("NEW_CONVERSATIONS_PER_HOUR_PER_IP", "120")),
                Integer.parseInt(v.getOrDefault("WORKER_TURNS_PER_ADDRESS", "2")),
                path(v.get("TLS_CERT")),
                path(v.get("TLS_KEY")),
                Integer.parseInt(v.getOrDefault("HTTP_REDIRECT_PORT", "0")),
                Long.parseLong(v.getOrDefault("HSTS_MAX_AGE_SECONDS", "31536000")),
                onOff("GUESTS", v.getOrDefault("GUESTS", "on")),
                list(v.getOrDefault("ADMIN_HANDLES", "")),
                Integer.parseInt(v.getOrDefault("SESSION_TTL_DAYS", "30")),
                Integer.parseInt(v.getOrDefault("SIGNINS_PER_MINUTE_PER_IP", "10")),
                Integer.parseInt(v.getOrDefault("SIGNUPS_PER_HOUR_PER_IP", "20")),
                blankToNull(v.get("CHAT_SECRET")),
                onOff("METRICS", v.getOrDefault("METRICS", "off")),
                blankToNull(v.get("METRICS_TOKEN")),
                Cluster.of(v.get("CLUSTER"), blankToNull(v.get("REDIS_URL")), blankToNull(v.get("DATABASE_URL"))));
    }

    /** How instances share live traffic (the Socket.IO adapter). */
    public enum Cluster {
        /** One instance: the in-memory adapter, with connection state recovery. */
        NONE,
        /** The Redis pub/sub adapter on {@code REDIS_URL}. */
        REDIS,
        /** The PostgreSQL adapter (LISTEN/NOTIFY) on {@code DATABASE_URL}. */
        POSTGRES;

        static Cluster of(String given, String redisUrl, String databaseUrl) {
            if (given == null || given.isBlank()) {
                return redisUrl != null ? REDIS : NONE;
            }
            Cluster c;
            try {
                c = valueOf(given.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CLUSTER must be redis, postgres or none, got " + given);
            }
            if (c == REDIS && redisUrl == null) {
                throw new IllegalArgumentException("CLUSTER=redis needs REDIS_URL");
            }
            if (c == POSTGRES && (databaseUrl == null || !(databaseUrl.startsWith("postgres://")
                    || databaseUrl.startsWith("postgresql://") || databaseUrl.startsWith("jdbc:postgresql:")))) {
                throw new IllegalArgumentException("CLUSTER=postgres needs DATABASE_URL to be a PostgreSQL database");
            }
            return c;
        }
    }

    /** The limits a client should know to stay within them (sent in the connect snapshot). */
    public Map<String, Object> clientLimits() {
        return Map.of("maxMessageChars", maxMessageChars, "eventsPerSecond", eventsPerSecond,
                "eventBurst", eventBurst, "eventQueue", eventQueue, "maxRoomsPerUser", maxRoomsPerUser,
                "uploadMaxBytes", uploadMaxBytes);
    }

    /** The names the chat answers to: those given, or loopback and the host it listens on. */
    private static List<String> allowedHosts(String given, String host) {
        if (given != null && !given.isBlank()) {
            return list(given.toLowerCase(java.util.Locale.ROOT));
        }
        List<String> names = new java.util.ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (!h.equals("0.0.0.0") && !h.equals("::") && !h.equals("[::]") && !names.contains(h)) {
            names.add(h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h);
        }
        return names;
    }

    /** Whether the chat answers to this host name (lower case, without port). */
    public boolean allowsHost(String name) {
        return allowedHosts.contains("*") || allowedHosts.contains(name);
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean onOff(String name, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " is on or off, got " + value);
        };
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
