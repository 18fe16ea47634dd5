package io.hibiki.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hibiki.socketio.*} properties. Anything not here is set with a {@link SocketIoOptionsCustomizer} bean.
 */
@ConfigurationProperties("hibiki.socketio")
public class HibikiProperties {

    /** Whether to start a Socket.IO server at all. */
    private boolean enabled = true;

    /** The Engine.IO path clients connect to, for example {@code /api/socket_io}. */
    private String path = "/socket.io";

    /**
     * A port of its own for Socket.IO, instead of the application's: unset serves Socket.IO on the application's
     * port (WebFlux on Reactor Netty); 0 takes any free port.
     */
    private Integer port;

    /** How often the server pings each client. */
    private Duration pingInterval = Duration.ofSeconds(25);

    /** How long a client may take to answer a ping before it counts as gone. */
    private Duration pingTimeout = Duration.ofSeconds(20);

    /** How long a new connection may take to join a namespace before it is closed. */
    private Duration connectTimeout = Duration.ofSeconds(45);

    /** The largest message or polling request body a client may send, in bytes. */
    private int maxHttpBufferSize = 1_000_000;

    /** The transports clients may use: {@code polling}, {@code websocket}. */
    private List<String> transports = new ArrayList<>(List.of("polling", "websocket"));

    /** Whether to serve the browser client bundle at {@code <path>/socket.io.js}. */
    private boolean serveClient = true;

    /** The largest number of rooms one socket may be in. */
    private int maxRoomsPerSocket = 1000;

    /**
     * How long a graceful shutdown waits for handlers to send the acknowledgements they owe before clients are
     * disconnected; unset takes {@code spring.lifecycle.timeout-per-shutdown-phase}.
     */
    private Duration shutdownGrace;

    private final Cors cors = new Cors();
    private final Recovery recovery = new Recovery();
    private final Adapter adapter = new Adapter();
    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Duration getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getPingTimeout() {
        return pingTimeout;
    }

    public void setPingTimeout(Duration pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getMaxHttpBufferSize() {
        return maxHttpBufferSize;
    }

    public void setMaxHttpBufferSize(int maxHttpBufferSize) {
        this.maxHttpBufferSize = maxHttpBufferSize;
    }

    public List<String> getTransports() {
        return transports;
    }

    public void setTransports(List<String> transports) {
        this.transports = transports;
    }

    public boolean isServeClient() {
        return serveClient;
    }

    public void setServeClient(boolean serveClient) {
        this.serveClient = serveClient;
    }

    public int getMaxRoomsPerSocket() {
        return maxRoomsPerSocket;
    }

    public void setMaxRoomsPerSocket(int maxRoomsPerSocket) {
        this.maxRoomsPerSocket = maxRoomsPerSocket;
    }

    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    public Cors getCors() {
        return cors;
    }

    public Recovery getRecovery() {
        return recovery;
    }

    public Adapter getAdapter() {
        return adapter;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** Which browser origins may connect. */
    public static class Cors {

        /** Allowed origins, for example {@code https://app.example.com}; {@code *} allows any. Empty: same-origin only. */
        private List<String> origins = new ArrayList<>();

        /** Whether browsers may send cookies and credentials cross-origin. */
        private boolean credentials;

        /**
         * Whether requests from a browser origin that is neither allowed nor the server's own are refused (403).
         * On by default, unlike Node: browsers apply no CORS to WebSocket handshakes, so without it any web page
         * could open a WebSocket to the server with its visitor's cookies.
         */
        private boolean enforce = true;

        public boolean isEnforce() {
            return enforce;
        }

        public void setEnforce(boolean enforce) {
            this.enforce = enforce;
        }

        public List<String> getOrigins() {
            return origins;
        }

        public void setOrigins(List<String> origins) {
            this.origins = origins;
        }

        public boolean isCredentials() {
            return credentials;
        }

        public void setCredentials(boolean credentials) {
            this.credentials = credentials;
        }
    }

    /** Connection state recovery: a client that reconnects soon enough gets its id, rooms and missed packets back. */
    public static class Recovery {

        /** Whether to recover connections. */
        private boolean enabled;

        /** How long after a disconnection a client may still recover. */
        private Duration maxDisconnectionDuration = Duration.ofMinutes(2);

        /** Whether a recovered client skips the middlewares. */
        private boolean skipMiddlewares = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getMaxDisconnectionDuration() {
            return maxDisconnectionDuration;
        }

        public void setMaxDisconnectionDuration(Duration maxDisconnectionDuration) {
            this.maxDisconnectionDuration = maxDisconnectionDuration;
        }

        public boolean isSkipMiddlewares() {
            return skipMiddlewares;
        }

        public void setSkipMiddlewares(boolean skipMiddlewares) {
            this.skipMiddlewares = skipMiddlewares;
        }
    }

    /** How instances share broadcasts and rooms; needs {@code io.hibiki:hibiki-redis} for the Redis kinds. */
    public static class Adapter {

        /**
         * {@code none} (one instance), {@code redis} (Node's @socket.io/redis-adapter), {@code redis-cluster} (the
         * same over a Redis Cluster), {@code sharded} (sharded Pub/Sub, Redis 7) or {@code streams}
         * (@socket.io/redis-streams-adapter).
         */
        private AdapterType type = AdapterType.NONE;

        /**
         * The Redis URI: {@code redis://host:port}, {@code rediss://…}; for {@code redis-cluster} the seed nodes,
         * {@code redis-cluster://host1:port1,host2:port2}.
         */
        private String url;

        /** The key (channel prefix or stream name) every instance of the cluster, Java or Node, shares. */
        private String key;

        public AdapterType getType() {
            return type;
        }

        public void setType(AdapterType type) {
            this.type = type;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }
    }

    /** The kinds of adapter the starter configures from properties. */
    public enum AdapterType {
        /** One instance: the in-memory adapter. */
        NONE,
        /** Redis Pub/Sub, wire-compatible with Node's @socket.io/redis-adapter. */
        REDIS,
        /** Redis Pub/Sub over a Redis Cluster. */
        REDIS_CLUSTER,
        /** Redis 7 sharded Pub/Sub (@socket.io/redis-adapter's createShardedAdapter). */
        SHARDED,
        /** Redis Streams (@socket.io/redis-streams-adapter). */
        STREAMS
    }

    /** Micrometer meters. */
    public static class Metrics {

        /** Whether to register the Socket.IO meters with the application's MeterRegistry. */
        private boolean enabled = true;

        /** At most this many event names get a tag of their own; the rest are counted as {@code other}. */
        private int maxEventNames = 100;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxEventNames() {
            return maxEventNames;
        }

        public void setMaxEventNames(int maxEventNames) {
            this.maxEventNames = maxEventNames;
        }
    }
}
