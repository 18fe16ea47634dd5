package io.hibiki.engine;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Immutable Engine.IO server options. Defaults match Node's engine.io 6 except where noted.
 */
public final class EngineOptions {

    /** Default options. */
    public static final EngineOptions DEFAULT = builder().build();

    private final String path;
    private final java.util.List<String> extraPaths;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration upgradeTimeout;
    private final int maxHttpBufferSize;
    private final int maxPayloadPackets;
    private final boolean startupWarmup;
    private final Set<Transport> transports;
    private final boolean allowUpgrades;
    private final Predicate<EngineRequest> allowRequest;
    private final java.util.function.Function<EngineRequest, java.util.concurrent.CompletionStage<String>>
            allowRequestAsync;
    private final CookieOptions cookie;
    private final CorsOptions cors;
    private final boolean perMessageDeflate;
    private final int perMessageDeflateThreshold;
    private final boolean perMessageDeflateContextTakeover;
    private final boolean httpCompression;
    private final int httpCompressionThreshold;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final int ioThreads;
    private final IoTransport ioTransport;
    private final double handshakesPerSecondPerIp;
    private final int maxPendingBytes;
    private final Duration slowConsumerTimeout;
    private final Duration headersTimeout;
    private final Duration bodyTimeout;
    private final Duration keepAliveTimeout;
    private final Predicate<String> allowedHosts;
    private final Predicate<java.net.InetAddress> trustedProxies;
    private final ServerTls tls;

    private EngineOptions(Builder b) {
        this.path = normalizePath(b.path);
        this.extraPaths = b.extraPaths.stream().map(EngineOptions::normalizePath).toList();
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.upgradeTimeout = b.upgradeTimeout;
        this.maxHttpBufferSize = b.maxHttpBufferSize;
        this.maxPayloadPackets = b.maxPayloadPackets;
        this.startupWarmup = b.startupWarmup;
        this.transports = Set.copyOf(b.transports);
        this.allowUpgrades = b.allowUpgrades;
        this.allowRequest = b.allowRequest;
        this.allowRequestAsync = b.allowRequestAsync;
        this.cookie = b.cookie;
        this.cors = b.cors;
        this.perMessageDeflate = b.perMessageDeflate;
        this.perMessageDeflateThreshold = b.perMessageDeflateThreshold;
        this.perMessageDeflateContextTakeover = b.perMessageDeflateContextTakeover;
        this.httpCompression = b.httpCompression;
        this.httpCompressionThreshold = b.httpCompressionThreshold;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
        this.ioThreads = b.ioThreads;
        this.ioTransport = b.ioTransport;
        this.handshakesPerSecondPerIp = b.handshakesPerSecondPerIp;
        this.maxPendingBytes = b.maxPendingBytes;
        this.slowConsumerTimeout = b.slowConsumerTimeout;
        this.headersTimeout = b.headersTimeout;
        this.bodyTimeout = b.bodyTimeout;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.allowedHosts = b.allowedHosts;
        this.trustedProxies = b.trustedProxies;
        this.tls = b.tls;
    }

    private static String normalizePath(String path) {
        Objects.requireNonNull(path, "path");
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * Starts a set of options at Node's defaults.
     *
     * @return a new builder with every option at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive a variant.
     *
     * @return a new builder; changing it leaves these options as they are
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.path = path;
        b.extraPaths = new java.util.ArrayList<>(extraPaths);
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.upgradeTimeout = upgradeTimeout;
        b.maxHttpBufferSize = maxHttpBufferSize;
        b.maxPayloadPackets = maxPayloadPackets;
        b.startupWarmup = startupWarmup;
        b.transports = EnumSet.copyOf(transports);
        b.allowUpgrades = allowUpgrades;
        b.allowRequest = allowRequest;
        b.allowRequestAsync = allowRequestAsync;
        b.cookie = cookie;
        b.cors = cors;
        b.perMessageDeflate = perMessageDeflate;
        b.perMessageDeflateThreshold = perMessageDeflateThreshold;
        b.perMessageDeflateContextTakeover = perMessageDeflateContextTakeover;
        b.httpCompression = httpCompression;
        b.httpCompressionThreshold = httpCompressionThreshold;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerIp = maxConnectionsPerIp;
        b.ioThreads = ioThreads;
        b.ioTransport = ioTransport;
        b.handshakesPerSecondPerIp = handshakesPerSecondPerIp;
        b.maxPendingBytes = maxPendingBytes;
        b.slowConsumerTimeout = slowConsumerTimeout;
        b.headersTimeout = headersTimeout;
        b.bodyTimeout = bodyTimeout;
        b.keepAliveTimeout = keepAliveTimeout;
        b.allowedHosts = allowedHosts;
        b.trustedProxies = trustedProxies;
        b.tls = tls;
        return b;
    }

    /**
     * The endpoint path without trailing slash; requests to it with or without a trailing slash are served.
     *
     * @return the path, starting with {@code /}; default {@code /engine.io}
     */
    public String path() {
        return path;
    }

    /**
     * Further paths served by the same server (e.g. a legacy client's custom path).
     *
     * @return the paths in the order they were added, normalised like {@link #path()}, read-only; empty by default
     */
    public java.util.List<String> extraPaths() {
        return extraPaths;
    }

    /**
     * Whether a request path (without query) is one of this server's endpoints, with or without trailing slash.
     *
     * @param requestPath the path part of a request URI, compared exactly (case-sensitive, not decoded)
     * @return {@code true} for {@link #path()} or one of the {@link #extraPaths()}
     */
    public boolean servesPath(String requestPath) {
        if (matches(path, requestPath)) {
            return true;
        }
        for (String p : extraPaths) {
            if (matches(p, requestPath)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String p, String requestPath) {
        return requestPath.equals(p)
                || (requestPath.length() == p.length() + 1 && requestPath.startsWith(p) && requestPath.endsWith("/"));
    }

    /**
     * Time between the server's pings; sent to clients in the open packet.
     *
     * @return the interval; default 25 s
     */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * How long the server waits for a pong before it closes the session with {@link CloseReason#PING_TIMEOUT};
     * sent to clients in the open packet. Also the longest a closing session waits for its last packets to be
     * collected.
     *
     * @return the timeout; default 20 s
     */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /**
     * How long an upgrade from polling to WebSocket may take before it is abandoned; the session then goes on
     * polling.
     *
     * @return the timeout; default 10 s
     */
    public Duration upgradeTimeout() {
        return upgradeTimeout;
    }

    /**
     * The largest inbound message, polling POST body or WebSocket frame; sent to clients as {@code maxPayload}
     * in the open packet.
     *
     * @return the limit in bytes; default 1 000 000
     */
    public int maxHttpBufferSize() {
        return maxHttpBufferSize;
    }

    /**
     * The most packets read from one polling POST; a payload with more ends the session with a parse error.
     *
     * @return the limit; default 100 000
     */
    public int maxPayloadPackets() {
        return maxPayloadPackets;
    }

    /**
     * Whether the first {@code listen} of the process warms up the request path before it opens the real port
     * (see {@link Builder#startupWarmup(boolean)}).
     *
     * @return {@code true} by default
     */
    public boolean startupWarmup() {
        return startupWarmup;
    }

    /**
     * The transports clients may use; a request for another is answered {@link EngineError#UNKNOWN_TRANSPORT}.
     *
     * @return the transports, read-only, never empty; default both
     */
    public Set<Transport> transports() {
        return transports;
    }

    /**
     * Whether polling sessions may upgrade to WebSocket (only offered when WebSocket is among the
     * {@link #transports()}).
     *
     * @return {@code true} by default
     */
    public boolean allowUpgrades() {
        return allowUpgrades;
    }

    /**
     * The synchronous handshake check; see {@link Builder#allowRequest(Predicate)}.
     *
     * @return the check, never {@code null}; by default it accepts every handshake
     */
    public Predicate<EngineRequest> allowRequest() {
        return allowRequest;
    }

    /**
     * The asynchronous handshake check, or {@code null}; see the builder.
     *
     * @return the check, or {@code null} (the default) when there is none
     */
    public java.util.function.Function<EngineRequest, java.util.concurrent.CompletionStage<String>> allowRequestAsync() {
        return allowRequestAsync;
    }

    /** How long {@link #allowRequestAsync} may take before the handshake is refused. */
    public static final Duration ALLOW_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The session cookie, or {@code null} when none is set (the default).
     *
     * @return the cookie's settings, or {@code null}
     */
    public CookieOptions cookie() {
        return cookie;
    }

    /**
     * The cross-origin rules of the endpoint.
     *
     * @return the rules, never {@code null}; default {@link CorsOptions#NONE}
     */
    public CorsOptions cors() {
        return cors;
    }

    /**
     * Whether WebSocket connections may negotiate permessage-deflate compression.
     *
     * @return {@code false} by default
     */
    public boolean perMessageDeflate() {
        return perMessageDeflate;
    }

    /**
     * The smallest outbound WebSocket message compressed when permessage-deflate is in use; smaller ones go out
     * as they are.
     *
     * @return the threshold in bytes; default 1024
     */
    public int perMessageDeflateThreshold() {
        return perMessageDeflateThreshold;
    }

    /**
     * Whether a connection's deflate state is kept from one message to the next (see
     * {@link Builder#perMessageDeflateContextTakeover(boolean)}).
     *
     * @return {@code false} by default
     */
    public boolean perMessageDeflateContextTakeover() {
        return perMessageDeflateContextTakeover;
    }

    /**
     * Whether polling responses are compressed with gzip or deflate when the client accepts it.
     *
     * @return {@code false} by default
     */
    public boolean httpCompression() {
        return httpCompression;
    }

    /**
     * The smallest polling response compressed when {@link #httpCompression()} is on.
     *
     * @return the threshold in bytes; default 1024
     */
    public int httpCompressionThreshold() {
        return httpCompressionThreshold;
    }

    /**
     * Most open sessions; 0 for no limit.
     *
     * @return the limit; default 100 000
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Event-loop threads of {@code listen}; 0 means one per available processor.
     *
     * @return the thread count; default 0
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * The kernel interface of {@code listen}'s event loops.
     *
     * @return the choice, never {@code null}; default {@link IoTransport#AUTO}
     */
    public IoTransport ioTransport() {
        return ioTransport;
    }

    /**
     * Most open sessions from one client address; 0 for no limit.
     *
     * @return the limit; default 0
     */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /**
     * Sustained new sessions per second from one address (burst: 10× that); 0 for no limit.
     *
     * @return the rate per second; default 0
     */
    public double handshakesPerSecondPerIp() {
        return handshakesPerSecondPerIp;
    }

    /**
     * Most bytes waiting to be written to one client before it is disconnected as a slow consumer.
     *
     * @return the limit in bytes; default 16 MiB
     */
    public int maxPendingBytes() {
        return maxPendingBytes;
    }

    /**
     * How long a client may keep its transport unwritable (over the high-water mark) before it is disconnected.
     *
     * @return the timeout; default 30 s
     */
    public Duration slowConsumerTimeout() {
        return slowConsumerTimeout;
    }

    /**
     * How long a connection of the server's own listener may take to send a request's head (then 408, closed).
     *
     * @return the timeout, counted from the connection's start; default 60 s
     */
    public Duration headersTimeout() {
        return headersTimeout;
    }

    /**
     * How long a request body may stall, no byte arriving, before the request is answered 408 and closed.
     *
     * @return the timeout; default 30 s
     */
    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    /**
     * How long a kept-alive HTTP connection may wait for its next request before it is closed.
     *
     * @return the timeout; default 5 s
     */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /**
     * The proxies whose {@code X-Forwarded-For} names the client (per-address limits); null: none.
     *
     * @return the test for a trusted proxy's address, or {@code null} (the default)
     */
    public Predicate<java.net.InetAddress> trustedProxies() {
        return trustedProxies;
    }

    /**
     * TLS for the server's own listener, or {@code null} for plain HTTP (the default).
     *
     * @return the certificate setup, or {@code null}
     */
    public ServerTls tls() {
        return tls;
    }

    /**
     * Which {@code Host} names the server's own listener answers to; null: any (Node's behaviour).
     *
     * @return the test for a host name, or {@code null} (the default)
     */
    public Predicate<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * The cookie sent on the handshake when enabled, as Node's {@code cookie} option: a load balancer that routes by
     * it keeps a client's polling requests on the instance that holds its session. It is {@code Secure} whenever the
     * client came over HTTPS.
     *
     * @param name     cookie name (Node's default {@code io})
     * @param path     cookie path, or {@code null} for none
     * @param httpOnly whether scripts may not read it
     * @param sameSite {@code Strict}, {@code Lax} or {@code None}
     * @param maxAge   how long browsers keep it, whole seconds, or {@code null} for a session cookie (Node's default)
     * @param domain   the cookie's {@code Domain}, or {@code null} for the host that set it (the default)
     */
    public record CookieOptions(String name, String path, boolean httpOnly, String sameSite, Duration maxAge,
                                String domain) {

        /** A cookie name is an RFC 6265 token. */
        private static final java.util.regex.Pattern TOKEN =
                java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
        /** Path and domain values: visible ASCII except ';' (RFC 6265 §4.1.1). */
        private static final java.util.regex.Pattern ATTRIBUTE =
                java.util.regex.Pattern.compile("[\\x20-\\x3a\\x3c-\\x7e]+");

        /**
         * Checks the options when they are made, not at every handshake: {@code sameSite} in any letter case, or
         * {@code null} for none.
         *
         * @param name     cookie name (Node's default {@code io})
         * @param path     cookie path, or {@code null} for none
         * @param httpOnly whether scripts may not read it
         * @param sameSite {@code Strict}, {@code Lax} or {@code None}, in any letter case; {@code null} for none
         * @param maxAge   how long browsers keep it, or {@code null} for a session cookie
         * @param domain   the cookie's domain, or {@code null}
         * @throws IllegalArgumentException when a value could not be sent in a {@code Set-Cookie} header, or
         *                                  {@code sameSite} is not {@code Strict}, {@code Lax} or {@code None}, or
         *                                  {@code maxAge} is negative
         * @throws NullPointerException     when {@code name} is {@code null}
         */
        public CookieOptions {
            Objects.requireNonNull(name, "name");
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("the cookie name must be a token (letters, digits, !#$%&'*+.^_`|~-)");
            }
            if (path != null && !ATTRIBUTE.matcher(path).matches()) {
                throw new IllegalArgumentException("the cookie path must be visible ASCII without ';'");
            }
            if (domain != null && !ATTRIBUTE.matcher(domain).matches()) {
                throw new IllegalArgumentException("the cookie domain must be visible ASCII without ';'");
            }
            if (maxAge != null && maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative");
            }
            if (sameSite != null) {
                sameSite = switch (sameSite.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "strict" -> "Strict";
                    case "lax" -> "Lax";
                    case "none" -> "None";
                    default -> throw new IllegalArgumentException(
                            "sameSite must be Strict, Lax or None, not " + sameSite);
                };
            }
        }

        /**
         * A session cookie (no {@code Max-Age}) for the host that set it.
         *
         * @param name     cookie name
         * @param path     cookie path, or {@code null}
         * @param httpOnly whether scripts may not read it
         * @param sameSite {@code Strict}, {@code Lax} or {@code None}, or {@code null}
         */
        public CookieOptions(String name, String path, boolean httpOnly, String sameSite) {
            this(name, path, httpOnly, sameSite, null, null);
        }

        /**
         * These options with a {@code Max-Age}.
         *
         * @param age how long browsers keep the cookie
         * @return a copy with {@code maxAge} set
         */
        public CookieOptions withMaxAge(Duration age) {
            return new CookieOptions(name, path, httpOnly, sameSite, age, domain);
        }

        /**
         * These options with a {@code Domain}.
         *
         * @param cookieDomain the domain, e.g. {@code example.com} for every subdomain
         * @return a copy with {@code domain} set
         */
        public CookieOptions withDomain(String cookieDomain) {
            return new CookieOptions(name, path, httpOnly, sameSite, maxAge, cookieDomain);
        }

        /** Node's defaults when {@code cookie: true}: {@code io}, path {@code /}, HttpOnly, SameSite=Lax. */
        public static final CookieOptions DEFAULT = new CookieOptions("io", "/", true, "Lax");
    }

    /** Builder; every option has the default named on its method. */
    public static final class Builder {
        private String path = "/engine.io";
        private java.util.List<String> extraPaths = new java.util.ArrayList<>();
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private int maxHttpBufferSize = 1_000_000;
        private int maxPayloadPackets = 100_000;
        private boolean startupWarmup = true;
        private Set<Transport> transports = EnumSet.allOf(Transport.class);
        private boolean allowUpgrades = true;
        private Predicate<EngineRequest> allowRequest = request -> true;
        private java.util.function.Function<EngineRequest, java.util.concurrent.CompletionStage<String>>
                allowRequestAsync;
        private CookieOptions cookie;
        private CorsOptions cors = CorsOptions.NONE;
        private boolean perMessageDeflate;
        private int perMessageDeflateThreshold = 1024;
        private boolean perMessageDeflateContextTakeover;
        private boolean httpCompression;
        private int httpCompressionThreshold = 1024;
        private int maxConnections = 100_000;
        private int maxConnectionsPerIp;
        private int ioThreads;
        private IoTransport ioTransport = IoTransport.AUTO;
        private double handshakesPerSecondPerIp;
        private int maxPendingBytes = 16 * 1024 * 1024;
        private Duration slowConsumerTimeout = Duration.ofSeconds(30);
        private Duration headersTimeout = Duration.ofSeconds(60);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration keepAliveTimeout = Duration.ofSeconds(5);
        private Predicate<String> allowedHosts;
        private Predicate<java.net.InetAddress> trustedProxies;
        private ServerTls tls;

        private Builder() {
        }

        /**
         * Endpoint path; default {@code /engine.io} (Socket.IO uses {@code /socket.io}).
         *
         * @param path the path clients connect to; a missing leading {@code /} is added and trailing ones are dropped
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Serve the same server at another path as well (one session space for all paths); default none.
         *
         * @param path a further path, normalised like {@link #path(String)}; call once for each path
         * @return this builder
         */
        public Builder alsoPath(String path) {
            this.extraPaths.add(path);
            return this;
        }

        /**
         * How often the server pings; default 25 s.
         * A session whose client does not answer within {@link #pingTimeout(Duration)} is closed.
         *
         * @param d the time between pings; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder pingInterval(Duration d) {
            this.pingInterval = positive(d);
            return this;
        }

        /**
         * How long the server waits for a pong; default 20 s.
         *
         * @param d the time after a ping within which the pong must arrive; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder pingTimeout(Duration d) {
            this.pingTimeout = positive(d);
            return this;
        }

        /**
         * How long an upgrade to WebSocket may take; default 10 s.
         *
         * @param d the time from the WebSocket's probe to its upgrade packet; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder upgradeTimeout(Duration d) {
            this.upgradeTimeout = positive(d);
            return this;
        }

        /**
         * Largest message, POST body or WebSocket frame in bytes; default 1 000 000.
         *
         * @param bytes the limit; must be positive. A larger POST body is answered 413; a larger WebSocket message
         *              closes the session
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is zero or negative
         */
        public Builder maxHttpBufferSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxHttpBufferSize must be positive");
            }
            this.maxHttpBufferSize = bytes;
            return this;
        }

        /**
         * Most packets accepted in one polling payload; default 100 000 (a 1 MB payload of minimal Socket.IO
         * packets holds fewer).
         *
         * @param packets the limit, at least 1; a payload with more ends the session with a parse error
         * @return this builder
         * @throws IllegalArgumentException when {@code packets} is less than 1 (0 would refuse every payload)
         */
        public Builder maxPayloadPackets(int packets) {
            if (packets < 1) {
                throw new IllegalArgumentException("maxPayloadPackets must be at least 1: " + packets);
            }
            this.maxPayloadPackets = packets;
            return this;
        }

        /**
         * Whether the first {@code listen} of the process first runs a few sessions through the whole request path
         * (polling, upgrade, WebSocket, close) on a private loopback port, so that the first clients after a start
         * meet a process that has loaded and compiled that path; default on. Those sessions never reach the
         * application's listeners.
         *
         * @param on {@code false} to open the port at once, for example in tests that start many servers
         * @return this builder
         */
        public Builder startupWarmup(boolean on) {
            this.startupWarmup = on;
            return this;
        }

        /**
         * Transports offered; default both.
         *
         * @param transports the transports clients may use; duplicates are ignored
         * @return this builder
         * @throws IllegalArgumentException if no transport is given
         */
        public Builder transports(Transport... transports) {
            EnumSet<Transport> set = EnumSet.noneOf(Transport.class);
            set.addAll(java.util.List.of(transports));
            if (set.isEmpty()) {
                throw new IllegalArgumentException("at least one transport");
            }
            this.transports = set;
            return this;
        }

        /**
         * Whether polling sessions may upgrade to WebSocket; default true.
         *
         * @param allow {@code false} to keep every session on the transport it started with
         * @return this builder
         */
        public Builder allowUpgrades(boolean allow) {
            this.allowUpgrades = allow;
            return this;
        }

        /**
         * Decides on each handshake whether to accept it (false → 403 Forbidden). Runs on an event loop: it must
         * not block. Default: accept all. An exception it throws refuses the handshake.
         *
         * @param predicate receives the handshake request and returns whether to accept it; not {@code null}
         * @return this builder
         */
        public Builder allowRequest(Predicate<EngineRequest> predicate) {
            this.allowRequest = Objects.requireNonNull(predicate);
            return this;
        }

        /**
         * A handshake check that may answer later, as Node's {@code allowRequest(req, callback)}: a token or database
         * lookup off the event loop. The stage completes with {@code null} to let the handshake through, or with a
         * message to refuse it: 403, {@code {"code":4,"message":<message>}}. A stage that fails, or takes longer than
         * {@link EngineOptions#ALLOW_REQUEST_TIMEOUT} (10 s), refuses with "Forbidden". Runs after
         * {@link #allowRequest}; the connection reads nothing more until it answers.
         *
         * @param check receives the handshake request and returns the stage of its decision; {@code null} (the
         *              default) for no asynchronous check
         * @return this builder
         */
        public Builder allowRequestAsync(
                java.util.function.Function<EngineRequest, java.util.concurrent.CompletionStage<String>> check) {
            this.allowRequestAsync = check;
            return this;
        }

        /**
         * Set a session cookie on the handshake; default none.
         * Its value is the session id; it is marked {@code Secure} when the client used HTTPS.
         *
         * @param cookie the cookie's settings, for example {@link CookieOptions#DEFAULT}; {@code null} for no cookie
         * @return this builder
         */
        public Builder cookie(CookieOptions cookie) {
            this.cookie = cookie;
            return this;
        }

        /**
         * Cross-origin rules; default: no cross-origin access.
         *
         * @param cors the rules; not {@code null}
         * @return this builder
         */
        public Builder cors(CorsOptions cors) {
            this.cors = Objects.requireNonNull(cors);
            return this;
        }

        /**
         * Configure CORS in place.
         *
         * @param configure sets up a new {@link CorsOptions.Builder}; rules set before are replaced, not added to
         * @return this builder
         * @throws IllegalArgumentException if the rules allow any origin together with credentials
         */
        public Builder cors(Consumer<CorsOptions.Builder> configure) {
            CorsOptions.Builder b = CorsOptions.builder();
            configure.accept(b);
            this.cors = b.build();
            return this;
        }

        /**
         * WebSocket permessage-deflate; default off (costs CPU, and memory while a message is compressed).
         *
         * @param on {@code true} to accept clients that ask for compression
         * @return this builder
         */
        public Builder perMessageDeflate(boolean on) {
            this.perMessageDeflate = on;
            return this;
        }

        /**
         * Smallest WebSocket message compressed when permessage-deflate is on, in bytes; default 1024 (as Node).
         *
         * @param bytes the threshold; 0 compresses every message
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder perMessageDeflateThreshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("perMessageDeflateThreshold must be >= 0");
            }
            this.perMessageDeflateThreshold = bytes;
            return this;
        }

        /**
         * Whether deflate states live across messages (better ratio, but about 300 KiB of native memory per
         * connection for its whole life). Default off: each message is compressed on its own and nothing is kept.
         *
         * @param on {@code true} to keep the compression state for the connection's life
         * @return this builder
         */
        public Builder perMessageDeflateContextTakeover(boolean on) {
            this.perMessageDeflateContextTakeover = on;
            return this;
        }

        /**
         * gzip/deflate of polling responses above the threshold; default off (unlike Node).
         *
         * @param on {@code true} to compress responses to clients that send a matching {@code Accept-Encoding}
         * @return this builder
         */
        public Builder httpCompression(boolean on) {
            this.httpCompression = on;
            return this;
        }

        /**
         * Smallest polling response compressed, in bytes; default 1024.
         *
         * @param bytes the threshold, 0 or more; responses smaller than this go out uncompressed
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is negative
         */
        public Builder httpCompressionThreshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("httpCompressionThreshold must be >= 0: " + bytes);
            }
            this.httpCompressionThreshold = bytes;
            return this;
        }

        /**
         * Most open sessions (further handshakes get 403 Forbidden); default 100 000, 0 for no limit.
         *
         * @param max the limit, or 0 (or less) for none
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /**
         * Event-loop threads serving connections when the server listens itself ({@code listen}); default one per
         * available processor. On a machine shared with other busy processes fewer can give lower latency.
         *
         * @param threads the number of threads, or 0 for one per available processor
         * @return this builder
         * @throws IllegalArgumentException if {@code threads} is negative
         */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ioThreads must be >= 0 (0: one per processor)");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * The kernel interface of {@code listen}'s event loops; default {@link IoTransport#AUTO} (epoll on Linux,
         * NIO elsewhere). An explicit choice this machine cannot serve makes {@code listen} fail with the reason.
         *
         * @param transport the interface to use; not {@code null}
         * @return this builder
         */
        public Builder ioTransport(IoTransport transport) {
            this.ioTransport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Most open sessions per client address (further handshakes get 403 Forbidden); default 0, no limit (a
         * proxy or NAT puts many users behind one address; set it where that is known not to be the case).
         *
         * @param max the limit, or 0 (or less) for none
         * @return this builder
         */
        public Builder maxConnectionsPerIp(int max) {
            this.maxConnectionsPerIp = max;
            return this;
        }

        /**
         * New sessions per second per address, burst 10× but at least 1 (excess gets 403); default 0, no limit.
         *
         * @param rate the sustained handshakes per second allowed; fractions are allowed (0.5: one every 2 s);
         *             0 (or less) for no limit
         * @return this builder
         */
        public Builder handshakesPerSecondPerIp(double rate) {
            this.handshakesPerSecondPerIp = rate;
            return this;
        }

        /**
         * Outbound bytes one client may have waiting before it is disconnected; default 16 MiB.
         *
         * @param bytes the limit, positive; for polling, bytes queued for the next poll; for WebSocket, bytes the
         *              socket has not taken yet
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is zero or negative (every client would be
         *                                  disconnected at its first send)
         */
        public Builder maxPendingBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxPendingBytes must be positive: " + bytes);
            }
            this.maxPendingBytes = bytes;
            return this;
        }

        /**
         * How long a transport may stay over its write high-water mark (1 MiB); default 30 s.
         *
         * @param d the time after which such a client is disconnected; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder slowConsumerTimeout(Duration d) {
            this.slowConsumerTimeout = positive(d);
            return this;
        }

        /**
         * Time for a request's head to arrive on a connection of {@link EngineServer#listen}'s own server, from the
         * connection's start; default 60 s, as Node's {@code headersTimeout}. Past it: 408 and the connection closes.
         *
         * @param d the timeout; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder headersTimeout(Duration d) {
            this.headersTimeout = positive(d);
            return this;
        }

        /**
         * Time a request body may go without a byte; default 30 s. Past it: 408 and the connection closes.
         *
         * @param d the timeout; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder bodyTimeout(Duration d) {
            this.bodyTimeout = positive(d);
            return this;
        }

        /**
         * Time a kept-alive connection may wait for its next request; default 5 s, as Node's keepAliveTimeout.
         *
         * @param d the timeout; must be positive. Also sent in the {@code Keep-Alive} response header, in whole
         *          seconds
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder keepAliveTimeout(Duration d) {
            this.keepAliveTimeout = positive(d);
            return this;
        }

        /**
         * The {@code Host} names (lower case, without port; IPv6 literals in brackets) the server's own listener
         * answers to; any other request is answered 421 and its connection closed, before any route. Default: any.
         * Protects a server on loopback or a private network from DNS rebinding.
         *
         * @param hosts tests the host name of each request; {@code null} for any host
         * @return this builder
         */
        public Builder allowedHosts(Predicate<String> hosts) {
            this.allowedHosts = hosts;
            return this;
        }

        /**
         * Proxies in front of the server (see {@link ClientAddress#ranges}): a request from one of them is counted,
         * for the per-address limits and in {@link EngineRequest#remoteAddress()}, as coming from the address its
         * {@code X-Forwarded-For} gives. Default none: the header is ignored.
         *
         * @param proxies tests whether a connection's peer is a trusted proxy, for example
         *                {@code ClientAddress.ranges(List.of("10.0.0.0/8"))}; {@code null} for none
         * @return this builder
         */
        public Builder trustedProxies(Predicate<java.net.InetAddress> proxies) {
            this.trustedProxies = proxies;
            return this;
        }

        /**
         * Serves HTTPS and {@code wss://} on the server's own listener ({@code listen}); an application that adds
         * the handler to its own pipeline ({@code addTo}) puts its own {@code SslHandler} first instead. The server
         * checks the files for a renewal while it listens and stops when it closes.
         *
         * @param tls the certificate setup, for example from {@link ServerTls#fromPem}; {@code null} for plain HTTP
         * @return this builder
         */
        public Builder tls(ServerTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Creates the options.
         *
         * @return the options, immutable
         * @throws NullPointerException if the path or one of the further paths is {@code null}
         */
        public EngineOptions build() {
            return new EngineOptions(this);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
