package io.hibiki.socketio;

import io.hibiki.engine.CorsOptions;
import io.hibiki.engine.EngineOptions;
import io.hibiki.socketio.adapter.AdapterFactory;
import io.hibiki.socketio.adapter.InMemoryAdapter;
import io.hibiki.socketio.parser.PacketDecoder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** Immutable Socket.IO server options; build them with {@link SocketIoServer#builder()}. */
public final class SocketIoOptions {

    /**
     * Connection state recovery ({@code connectionStateRecovery} in Node).
     *
     * @param maxDisconnectionDuration how long a dropped socket's id, rooms, data and missed packets are kept
     * @param skipMiddlewares          whether a recovered socket skips namespace middleware
     */
    public record Recovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
    }

    private final EngineOptions engine;
    private final Duration connectTimeout;
    private final Recovery recovery;
    private final AdapterFactory adapterFactory;
    private final boolean serveClient;
    private final boolean cleanupEmptyChildNamespaces;
    private final Executor listenerExecutor;
    private final int listenerTurnsPerAddress;
    private final int maxAttachments;
    private final PacketParser parser;
    private final io.hibiki.socketio.observer.ServerObserver observer;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final int maxNamespacesPerClient;
    private final int maxRoomsPerSocket;
    private final double eventsPerSecond;
    private final int eventBurst;
    private final String rateLimitedEvent;
    private final int eventQueue;
    private final boolean rateLimitErrors;
    private final int floodDisconnect;
    private final java.util.Set<String> dropWhenRateLimited;
    private final java.util.function.Function<String, Object> rateLimitedAnswer;

    private SocketIoOptions(Builder b) {
        this.engine = b.engine.build();
        this.connectTimeout = b.connectTimeout;
        this.recovery = b.recovery;
        this.adapterFactory = b.adapterFactory;
        this.serveClient = b.serveClient;
        this.cleanupEmptyChildNamespaces = b.cleanupEmptyChildNamespaces;
        this.listenerExecutor = b.listenerExecutor;
        this.listenerTurnsPerAddress = b.listenerTurnsPerAddress;
        this.maxAttachments = b.maxAttachments;
        this.parser = b.parser;
        this.observer = b.observer;
        this.mapper = b.mapper;
        this.maxNamespacesPerClient = b.maxNamespacesPerClient;
        this.maxRoomsPerSocket = b.maxRoomsPerSocket;
        this.eventsPerSecond = b.eventsPerSecond;
        this.eventBurst = b.eventBurst;
        this.rateLimitedEvent = b.rateLimitedEvent;
        this.eventQueue = b.eventQueue;
        this.rateLimitErrors = b.rateLimitErrors;
        this.floodDisconnect = b.floodDisconnect;
        this.dropWhenRateLimited = java.util.Set.copyOf(b.dropWhenRateLimited);
        this.rateLimitedAnswer = b.rateLimitedAnswer;
    }

    /**
     * Most namespaces one connection may join at once.
     *
     * @return the limit, counting namespaces whose middleware is still deciding; default 32
     */
    public int maxNamespacesPerClient() {
        return maxNamespacesPerClient;
    }

    /**
     * Most rooms one socket may be in, its own room included.
     *
     * @return the limit; default 1000
     */
    public int maxRoomsPerSocket() {
        return maxRoomsPerSocket;
    }

    /**
     * Events per second one socket may send; 0 when there is no limit.
     *
     * @return the refill rate of each socket's event budget
     */
    public double eventsPerSecond() {
        return eventsPerSecond;
    }

    /**
     * Events one socket may send at once before the rate applies; 0 when there is no limit.
     *
     * @return the size of each socket's event budget
     */
    public int eventBurst() {
        return eventBurst;
    }

    /**
     * The event a client gets when its events are dropped by the rate limit, or {@code null} for none.
     *
     * @return the event name; default {@code rate_limited}
     */
    public String rateLimitedEvent() {
        return rateLimitedEvent;
    }

    /**
     * Whether each refused event reaches the socket's error listeners (default true).
     *
     * @return {@code true} when refusals are handed to {@code onError} as {@link EventRateLimitedException}
     */
    public boolean rateLimitErrors() {
        return rateLimitErrors;
    }

    /**
     * Refused events within {@link #FLOOD_WINDOW} after which a socket is disconnected (0: never).
     *
     * @return the number of refusals that closes the socket's connection
     */
    public int floodDisconnect() {
        return floodDisconnect;
    }

    /** The window {@link #floodDisconnect} counts refusals in. */
    public static final java.time.Duration FLOOD_WINDOW = java.time.Duration.ofSeconds(10);

    /**
     * Events over the rate held per socket, in order, before one is refused (0: none are held).
     *
     * @return the length of each socket's queue of held events
     */
    public int eventQueue() {
        return eventQueue;
    }

    /**
     * Events dropped rather than held when over the rate (volatile ones: typing, cursors).
     *
     * @return an unmodifiable set of event names; empty by default
     */
    public java.util.Set<String> dropWhenRateLimited() {
        return dropWhenRateLimited;
    }

    /**
     * What a refused event's ack is answered with (and the notice carries), by event name; null: nothing.
     *
     * @return the function from event name to answer, or {@code null}
     */
    public java.util.function.Function<String, Object> rateLimitedAnswer() {
        return rateLimitedAnswer;
    }

    /**
     * The Engine.IO options underneath: path, CORS, ping timing, buffer sizes, transports.
     *
     * @return the options the Engine.IO server was built with
     */
    public EngineOptions engine() {
        return engine;
    }

    /**
     * How long a new connection may take to join a namespace before it is closed.
     *
     * @return the timeout; default 45 seconds
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Recovery settings, or {@code null} when off (the default).
     *
     * @return the connection state recovery settings
     */
    public Recovery recovery() {
        return recovery;
    }

    /**
     * Makes each namespace's adapter.
     *
     * @return the factory; default in memory, for a single node
     */
    public AdapterFactory adapterFactory() {
        return adapterFactory;
    }

    /**
     * Whether the server serves the browser client files under its path.
     *
     * @return {@code true} to serve them; default true
     */
    public boolean serveClient() {
        return serveClient;
    }

    /**
     * Whether a dynamic child namespace is removed when its last socket leaves.
     *
     * @return {@code true} to remove empty children and close their adapters; default false
     */
    public boolean cleanupEmptyChildNamespaces() {
        return cleanupEmptyChildNamespaces;
    }

    /**
     * Where listeners run, or {@code null} for the connection's event loop.
     *
     * @return the executor for middleware and listeners
     */
    public Executor listenerExecutor() {
        return listenerExecutor;
    }

    /**
     * How many turns on the {@link #listenerExecutor} the connections of one client address may run at once.
     *
     * @return the limit; 0 (the default) for none: connections share the executor one by one
     */
    public int listenerTurnsPerAddress() {
        return listenerTurnsPerAddress;
    }

    /**
     * Most binary attachments one packet may carry; a client that sends more is disconnected with a parse error.
     *
     * @return the limit; default 10
     */
    public int maxAttachments() {
        return maxAttachments;
    }

    /**
     * The wire format of packets.
     *
     * @return the parser; default {@link PacketParser#DEFAULT}
     */
    public PacketParser parser() {
        return parser;
    }

    /**
     * Who hears about connections, events and acknowledgements (metrics).
     *
     * @return the observer; default {@link io.hibiki.socketio.observer.ServerObserver#NONE}
     */
    public io.hibiki.socketio.observer.ServerObserver observer() {
        return observer;
    }

    /**
     * The application's Jackson mapper, if one was given: it writes what is emitted and binds what handlers take.
     *
     * @return the mapper given to the builder, or {@code null} for Hibiki's own
     */
    public com.fasterxml.jackson.databind.ObjectMapper mapper() {
        return mapper;
    }

    /** Builder; every option has the default named on its method. */
    public static final class Builder {
        private com.fasterxml.jackson.databind.ObjectMapper mapper;
        private PacketParser parser = PacketParser.DEFAULT;
        private io.hibiki.socketio.observer.ServerObserver observer = io.hibiki.socketio.observer.ServerObserver.NONE;
        private final EngineOptions.Builder engine = EngineOptions.builder().path("/socket.io");
        private Duration connectTimeout = Duration.ofSeconds(45);
        private Recovery recovery;
        private AdapterFactory adapterFactory = InMemoryAdapter.factory();
        private boolean serveClient = true;
        private boolean cleanupEmptyChildNamespaces;
        private Executor listenerExecutor;
        private int listenerTurnsPerAddress;
        private int maxAttachments = PacketDecoder.DEFAULT_MAX_ATTACHMENTS;
        private int maxNamespacesPerClient = 32;
        private int maxRoomsPerSocket = 1000;
        private double eventsPerSecond;
        private int eventBurst;
        private String rateLimitedEvent = "rate_limited";
        private int eventQueue;
        private boolean rateLimitErrors = true;
        private int floodDisconnect;
        private java.util.Set<String> dropWhenRateLimited = java.util.Set.of();
        private java.util.function.Function<String, Object> rateLimitedAnswer;

        Builder() {
        }

        /**
         * Endpoint path; default {@code /socket.io}. Served with and without a trailing slash.
         *
         * @param path the path the clients connect to; it must match the client's {@code path} option
         * @return this builder
         */
        public Builder path(String path) {
            engine.path(path);
            return this;
        }

        /**
         * Cross-origin rules; default none.
         *
         * @param configure sets the allowed origins, methods, headers and credentials on the CORS builder
         * @return this builder
         */
        public Builder cors(Consumer<CorsOptions.Builder> configure) {
            engine.cors(configure);
            return this;
        }

        /**
         * Any Engine.IO option (ping interval, maxHttpBufferSize, transports, cookie, allowRequest, …).
         *
         * @param configure called at once with the Engine.IO options builder, whose path is already set
         * @return this builder
         */
        public Builder engine(Consumer<EngineOptions.Builder> configure) {
            configure.accept(engine);
            return this;
        }

        /**
         * How long a connection may take to join a namespace before it is closed; default 45 s.
         *
         * @param d the timeout; not {@code null}
         * @return this builder
         * @throws NullPointerException when {@code d} is {@code null}
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        /**
         * Turns on connection state recovery; default off.
         *
         * @param maxDisconnectionDuration how long a dropped socket's id, rooms, data and missed packets are kept
         * @param skipMiddlewares          whether a recovered socket skips namespace middleware
         * @return this builder
         */
        public Builder connectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
            this.recovery = new Recovery(maxDisconnectionDuration, skipMiddlewares);
            return this;
        }

        /**
         * Turns on connection state recovery with Node's defaults: 2 minutes, middlewares skipped.
         *
         * @return this builder
         */
        public Builder connectionStateRecovery() {
            return connectionStateRecovery(Duration.ofMinutes(2), true);
        }

        /**
         * The cluster adapter; default in-memory (one node).
         *
         * @param factory makes one adapter per namespace; not {@code null}
         * @return this builder
         * @throws NullPointerException when {@code factory} is {@code null}
         */
        public Builder adapter(AdapterFactory factory) {
            this.adapterFactory = Objects.requireNonNull(factory);
            return this;
        }

        /**
         * Serve the browser client at {@code <path>/socket.io.js} and {@code .min.js}; default true.
         *
         * @param serve {@code false} when the application ships the client itself
         * @return this builder
         */
        public Builder serveClient(boolean serve) {
            this.serveClient = serve;
            return this;
        }

        /**
         * Remove a dynamic child namespace when its last socket leaves; default false.
         *
         * @param cleanup {@code true} to remove empty children and close their adapters
         * @return this builder
         */
        public Builder cleanupEmptyChildNamespaces(boolean cleanup) {
            this.cleanupEmptyChildNamespaces = cleanup;
            return this;
        }

        /**
         * Run middleware and listeners on this executor instead of the event loop, for applications whose
         * handlers block (database calls). Order per connection is kept. Default: the event loop.
         *
         * @param executor the executor, e.g. a thread pool or virtual threads; {@code null} for the event loop
         * @return this builder
         */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = executor;
            return this;
        }

        /**
         * Shares the {@link #listenerExecutor} between client addresses: the connections of one address (after
         * trusted proxies) run at most {@code turns} turns of their tasks at a time, and their further tasks wait
         * without taking the executor's queue from others. Many connections from one host (a flood, a script)
         * then cannot delay everyone else's handlers. Default 0: no such limit, connections take turns one by one.
         *
         * @param turns turns at a time per address, at least 1; 0 turns the sharing off
         * @return this builder
         * @throws IllegalArgumentException when {@code turns} is negative
         */
        public Builder listenerTurnsPerAddress(int turns) {
            if (turns < 0) {
                throw new IllegalArgumentException("turns must not be negative: " + turns);
            }
            this.listenerTurnsPerAddress = turns;
            return this;
        }

        /**
         * The application's Jackson mapper (Jackson 2, {@code com.fasterxml}): its modules, naming and annotations
         * apply to what is emitted and to what typed handlers and {@link Args#get(int, Class)} bind. The wire itself
         * is still read by Hibiki's own parser, and output is never indented. Default: a plain {@code ObjectMapper}.
         *
         * @param mapper the application's mapper; the server works on a copy, so later changes do not reach it
         * @return this builder
         */
        public Builder mapper(com.fasterxml.jackson.databind.ObjectMapper mapper) {
            this.mapper = java.util.Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Who hears about connections, events and acknowledgements: Hibiki's Micrometer binder
         * ({@code io.hibiki.micrometer.SocketIoMetrics}), or your own. Default: nobody.
         *
         * @param observer thread-safe and non-blocking; it is called on the emit and receive paths
         * @return this builder
         */
        public Builder observer(io.hibiki.socketio.observer.ServerObserver observer) {
            this.observer = java.util.Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * The wire format of packets, as Node's {@code parser} option ({@code require("socket.io-msgpack-parser")}
         * is {@link PacketParser#MSGPACK}); default {@link PacketParser#DEFAULT}. Clients must use the same.
         *
         * @param parser the format
         * @return this builder
         */
        public Builder parser(PacketParser parser) {
            this.parser = java.util.Objects.requireNonNull(parser, "parser");
            return this;
        }

        /**
         * Most binary attachments in one packet; default 10.
         *
         * @param max the limit, 0 or more; a client that sends more is disconnected with a parse error
         * @return this builder
         * @throws IllegalArgumentException when {@code max} is negative
         */
        public Builder maxAttachments(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxAttachments must be >= 0: " + max);
            }
            this.maxAttachments = max;
            return this;
        }

        /**
         * Most namespaces one connection may join (more get connect_error); default 32.
         *
         * @param max the limit, at least 1, counting namespaces whose middleware is still deciding
         * @return this builder
         * @throws IllegalArgumentException when {@code max} is below 1 (no client could connect)
         */
        public Builder maxNamespacesPerClient(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxNamespacesPerClient must be at least 1: " + max);
            }
            this.maxNamespacesPerClient = max;
            return this;
        }

        /**
         * Most rooms one socket may be in, its own room included; default 1000. {@code socket.join} past it throws
         * {@link TooManyRoomsException} and joins none of the rooms asked for.
         *
         * @param max the limit; at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code max} is below 1
         */
        public Builder maxRoomsPerSocket(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRoomsPerSocket must be at least 1 (the socket's own room)");
            }
            this.maxRoomsPerSocket = max;
            return this;
        }

        /**
         * A per-socket limit on inbound events (a token bucket: {@code burst} at once, refilled at
         * {@code perSecond}); default none, as in Node, since high-frequency events (cursors, typing) are normal in
         * some applications. An event over the limit reaches no middleware or listener (an ack it asked for is
         * never sent); the socket's {@code onError} listeners get an {@link EventRateLimitedException}, and the
         * client gets the {@link #rateLimitedEvent} at most once a second.
         *
         * @param perSecond events per second each socket earns back; must be positive
         * @param burst     events a socket may send at once; at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code perSecond} is not positive or {@code burst} is below 1
         */
        public Builder eventRateLimit(double perSecond, int burst) {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("eventRateLimit needs perSecond > 0 and burst >= 1");
            }
            this.eventsPerSecond = perSecond;
            this.eventBurst = burst;
            return this;
        }

        /**
         * The event sent to a client whose events the rate limit drops, with {@code {"event": name}} of the first
         * dropped one; default {@code rate_limited}; {@code null} sends nothing.
         *
         * @param name the event name, or {@code null}; not a reserved name such as {@code disconnect}
         * @return this builder
         * @throws IllegalArgumentException when {@code name} is reserved (the notice could never be sent)
         */
        public Builder rateLimitedEvent(String name) {
            if (name != null) {
                Namespace.checkEventName(name);
            }
            this.rateLimitedEvent = name;
            return this;
        }

        /**
         * With {@link #eventRateLimit}: events over the rate wait, in arrival order, on the connection's event loop
         * (at most {@code events} per socket) and go on as the budget refills, so a burst is slowed rather than
         * cut; only past the queue is an event refused. Default 0: over the rate an event is refused at once.
         *
         * @param events the most events held per socket; 0 or more
         * @return this builder
         * @throws IllegalArgumentException when {@code events} is negative
         */
        public Builder eventQueue(int events) {
            if (events < 0) {
                throw new IllegalArgumentException("eventQueue must not be negative: " + events);
            }
            this.eventQueue = events;
            return this;
        }

        /**
         * Whether each event the rate limit refuses is also handed to the socket's {@code onError} listeners
         * (default true). Those run on the listener executor: under a flood that is one task per refused event on
         * the pool every connection shares, which an application that answers refusals with
         * {@link #rateLimitedAnswer} can spare.
         *
         * @param deliver {@code false} to keep refusals away from the {@code onError} listeners
         * @return this builder
         */
        public Builder rateLimitErrors(boolean deliver) {
            this.rateLimitErrors = deliver;
            return this;
        }

        /**
         * With {@link #eventRateLimit}: a socket that has had {@code refusals} events refused within 10 s (past its
         * queue, so it ignores the answers) is disconnected ("io server disconnect", which the official clients do
         * not reconnect from by themselves), so a flood stops costing the server refusals. Default 0: never.
         *
         * @param refusals the refusals within {@link SocketIoOptions#FLOOD_WINDOW} that disconnect a socket; 0
         *                 or more
         * @return this builder
         * @throws IllegalArgumentException when {@code refusals} is negative
         */
        public Builder floodDisconnect(int refusals) {
            if (refusals < 0) {
                throw new IllegalArgumentException("floodDisconnect must not be negative: " + refusals);
            }
            this.floodDisconnect = refusals;
            return this;
        }

        /**
         * Events that are dropped over the rate instead of held (volatile by nature: typing, cursor positions).
         *
         * @param events the event names, each given once; they replace any set before
         * @return this builder
         * @throws IllegalArgumentException when a name is given twice
         */
        public Builder dropWhenRateLimited(String... events) {
            this.dropWhenRateLimited = java.util.Set.of(events);
            return this;
        }

        /**
         * What a refused event gets: its ack, when it asked for one, is answered at once with this value (by event
         * name), and the {@link #rateLimitedEvent} notice carries it. Default none: the ack is never sent.
         *
         * @param answer gives the answer for an event name, or {@code null} for no answer to that event
         * @return this builder
         */
        public Builder rateLimitedAnswer(java.util.function.Function<String, Object> answer) {
            this.rateLimitedAnswer = answer;
            return this;
        }

        /**
         * Builds the server with these options. It does not listen yet: call {@code listen} or {@code addTo}.
         *
         * @return a new server
         */
        public SocketIoServer build() {
            return new SocketIoServer(new SocketIoOptions(this));
        }
    }
}
