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

    /**
     * Threads that run {@code @SocketIoController} handlers and other listeners (they may block: repositories,
     * remote calls); events of one connection run one at a time, in order. 0 runs them on the event loops, for
     * handlers that never block.
     */
    private int handlerThreads = 16;

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

    /** @return {@code hibiki.socketio.enabled} */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled {@code hibiki.socketio.enabled} */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return {@code hibiki.socketio.path} */
    public String getPath() {
        return path;
    }

    /** @param path {@code hibiki.socketio.path} */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return {@code hibiki.socketio.port} */
    public Integer getPort() {
        return port;
    }

    /** @param port {@code hibiki.socketio.port} */
    public void setPort(Integer port) {
        this.port = port;
    }

    /** @return {@code hibiki.socketio.ping-interval} */
    public Duration getPingInterval() {
        return pingInterval;
    }

    /** @param pingInterval {@code hibiki.socketio.ping-interval} */
    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    /** @return {@code hibiki.socketio.ping-timeout} */
    public Duration getPingTimeout() {
        return pingTimeout;
    }

    /** @param pingTimeout {@code hibiki.socketio.ping-timeout} */
    public void setPingTimeout(Duration pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    /** @return {@code hibiki.socketio.connect-timeout} */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout {@code hibiki.socketio.connect-timeout} */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return {@code hibiki.socketio.max-http-buffer-size} */
    public int getMaxHttpBufferSize() {
        return maxHttpBufferSize;
    }

    /** @param maxHttpBufferSize {@code hibiki.socketio.max-http-buffer-size} */
    public void setMaxHttpBufferSize(int maxHttpBufferSize) {
        this.maxHttpBufferSize = maxHttpBufferSize;
    }

    /** @return {@code hibiki.socketio.transports} */
    public List<String> getTransports() {
        return transports;
    }

    /** @param transports {@code hibiki.socketio.transports} */
    public void setTransports(List<String> transports) {
        this.transports = transports;
    }

    /** @return {@code hibiki.socketio.serve-client} */
    public boolean isServeClient() {
        return serveClient;
    }

    /** @param serveClient {@code hibiki.socketio.serve-client} */
    public void setServeClient(boolean serveClient) {
        this.serveClient = serveClient;
    }

    /** @return {@code hibiki.socketio.handler-threads} */
    public int getHandlerThreads() {
        return handlerThreads;
    }

    /** @param handlerThreads {@code hibiki.socketio.handler-threads} */
    public void setHandlerThreads(int handlerThreads) {
        this.handlerThreads = handlerThreads;
    }

    /** @return {@code hibiki.socketio.max-rooms-per-socket} */
    public int getMaxRoomsPerSocket() {
        return maxRoomsPerSocket;
    }

    /** @param maxRoomsPerSocket {@code hibiki.socketio.max-rooms-per-socket} */
    public void setMaxRoomsPerSocket(int maxRoomsPerSocket) {
        this.maxRoomsPerSocket = maxRoomsPerSocket;
    }

    /** @return {@code hibiki.socketio.shutdown-grace} */
    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    /** @param shutdownGrace {@code hibiki.socketio.shutdown-grace} */
    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    /** @return the {@code hibiki.socketio.cors.*} properties */
    public Cors getCors() {
        return cors;
    }

    /** @return the {@code hibiki.socketio.recovery.*} properties */
    public Recovery getRecovery() {
        return recovery;
    }

    /** @return the {@code hibiki.socketio.adapter.*} properties */
    public Adapter getAdapter() {
        return adapter;
    }

    /** @return the {@code hibiki.socketio.metrics.*} properties */
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

        /** @return {@code hibiki.socketio.cors.enforce} */
        public boolean isEnforce() {
            return enforce;
        }

        /** @param enforce {@code hibiki.socketio.cors.enforce} */
        public void setEnforce(boolean enforce) {
            this.enforce = enforce;
        }

        /** @return {@code hibiki.socketio.cors.origins} */
        public List<String> getOrigins() {
            return origins;
        }

        /** @param origins {@code hibiki.socketio.cors.origins} */
        public void setOrigins(List<String> origins) {
            this.origins = origins;
        }

        /** @return {@code hibiki.socketio.cors.credentials} */
        public boolean isCredentials() {
            return credentials;
        }

        /** @param credentials {@code hibiki.socketio.cors.credentials} */
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

        /** @return {@code hibiki.socketio.recovery.enabled} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@code hibiki.socketio.recovery.enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return {@code hibiki.socketio.recovery.max-disconnection-duration} */
        public Duration getMaxDisconnectionDuration() {
            return maxDisconnectionDuration;
        }

        /** @param maxDisconnectionDuration {@code hibiki.socketio.recovery.max-disconnection-duration} */
        public void setMaxDisconnectionDuration(Duration maxDisconnectionDuration) {
            this.maxDisconnectionDuration = maxDisconnectionDuration;
        }

        /** @return {@code hibiki.socketio.recovery.skip-middlewares} */
        public boolean isSkipMiddlewares() {
            return skipMiddlewares;
        }

        /** @param skipMiddlewares {@code hibiki.socketio.recovery.skip-middlewares} */
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

        /** @return {@code hibiki.socketio.adapter.type} */
        public AdapterType getType() {
            return type;
        }

        /** @param type {@code hibiki.socketio.adapter.type} */
        public void setType(AdapterType type) {
            this.type = type;
        }

        /** @return {@code hibiki.socketio.adapter.url} */
        public String getUrl() {
            return url;
        }

        /** @param url {@code hibiki.socketio.adapter.url} */
        public void setUrl(String url) {
            this.url = url;
        }

        /** @return {@code hibiki.socketio.adapter.key} */
        public String getKey() {
            return key;
        }

        /** @param key {@code hibiki.socketio.adapter.key} */
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

        /** @return {@code hibiki.socketio.metrics.enabled} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@code hibiki.socketio.metrics.enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return {@code hibiki.socketio.metrics.max-event-names} */
        public int getMaxEventNames() {
            return maxEventNames;
        }

        /** @param maxEventNames {@code hibiki.socketio.metrics.max-event-names} */
        public void setMaxEventNames(int maxEventNames) {
            this.maxEventNames = maxEventNames;
        }
    }
}
