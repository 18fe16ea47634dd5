package io.hibiki.engine;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Engine.IO v4 server. Standalone:
 * <pre>{@code
 * EngineServer server = new EngineServer(EngineOptions.builder().path("/engine.io").build());
 * server.onConnection(socket -> socket.onMessage(socket::send));   // echo
 * int port = server.listen(3000);
 * }</pre>
 * or mounted into an application's own Netty pipeline with {@link #addTo(ChannelPipeline)}, after an
 * {@link HttpServerCodec}; requests for other paths flow on to the application's handlers.
 */
public final class EngineServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineServer.class);

    private final EngineOptions options;
    private final EngineResponses responses;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final ConnectionLimits admission;
    private final SharedStrings handshakeStrings = new SharedStrings();
    private final WebSocketDecoderConfig webSocketDecoderConfig;
    private volatile Consumer<EngineSocket> connectionListener = s -> { };
    private volatile Consumer<EngineSocket> warmupListener = s -> {
        s.onMessage(s::send);
        s.onBinary(s::send);
    };
    /** Set once the first {@code listen} of the process has warmed the request path (or was told not to). */
    private static final AtomicBoolean WARMED = new AtomicBoolean();
    private volatile Channel warmupChannel;
    private final Set<EngineSocket> warmSessions = ConcurrentHashMap.newKeySet();
    private final List<Channel> serverChannels = new ArrayList<>();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    /** The loops of sessions a host other than Netty opened ({@link EngineHost}); created on first use. */
    private volatile EventLoopGroup hostGroup;
    private NettyTransports transport;

    /**
     * Creates a server that does not listen yet: call {@link #listen(int)}, or mount it with
     * {@link #addTo(ChannelPipeline)}. Event loops are created at the first {@code listen}, not here.
     *
     * @param options the server's settings, fixed for its whole life
     */
    public EngineServer(EngineOptions options) {
        this.options = options;
        this.responses = new EngineResponses(options);
        this.admission = new ConnectionLimits(options, sessions::size);
        this.webSocketDecoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxHttpBufferSize())
                .allowExtensions(options.perMessageDeflate())
                .closeOnProtocolViolation(false)
                .build();
    }

    ConnectionLimits admission() {
        return admission;
    }

    /**
     * The settings this server was created with.
     *
     * @return the options passed to the constructor
     */
    public EngineOptions options() {
        return options;
    }

    EngineResponses responses() {
        return responses;
    }

    /**
     * The frame decoder settings of every WebSocket of this server (one shared object). Protocol violations are
     * left to {@link WebSocketTransport}, which answers them with its own close frame.
     */
    WebSocketDecoderConfig webSocketDecoderConfig() {
        return webSocketDecoderConfig;
    }

    /** The strings this server's sessions share (see {@link SharedStrings}). */
    SharedStrings handshakeStrings() {
        return handshakeStrings;
    }

    /**
     * Called on the session's event loop for every new session, before any of its messages. Sessions of the
     * start-up warm-up are not passed to it (see {@link #onWarmupConnection}).
     *
     * @param listener receives each new session, to attach its own listeners; replaces any listener set before.
     *                 An exception it throws is logged and the session stays open.
     * @return this server
     */
    public EngineServer onConnection(Consumer<EngineSocket> listener) {
        this.connectionListener = listener;
        return this;
    }

    /**
     * Adds to the headers of each session's first answer (the polling handshake's, or a WebSocket-only session's
     * 101), as Node's {@code initial_headers} event: a sticky cookie, say. The request is the client's, to read its
     * headers. Runs on an event loop: must not block.
     *
     * @param hook receives the response headers to add to, and the client's request; replaces any hook set before
     * @return this server
     */
    public EngineServer onInitialHeaders(java.util.function.BiConsumer<io.netty.handler.codec.http.HttpHeaders,
            io.netty.handler.codec.http.HttpRequest> hook) {
        responses.initialHeadersHook(hook);
        return this;
    }

    /**
     * Adds to the headers of every answer that carries a session's traffic (polls, posts, WebSocket 101s; not
     * the error answers), after {@link #onInitialHeaders}, as Node's {@code headers} event. Runs on an event
     * loop: must not block.
     *
     * @param hook receives the response headers to add to, and the client's request; replaces any hook set before
     * @return this server
     */
    public EngineServer onHeaders(java.util.function.BiConsumer<io.netty.handler.codec.http.HttpHeaders,
            io.netty.handler.codec.http.HttpRequest> hook) {
        responses.headersHook(hook);
        return this;
    }

    /**
     * Open sessions.
     *
     * @return the number of sessions not yet closed, including those still flushing their last packets
     */
    public int clientsCount() {
        return sessions.size();
    }

    /**
     * An open session by id, or {@code null}.
     *
     * @param id the session id, as {@link EngineSocket#id()} reports it
     * @return the session, or {@code null} when no session with that id is open
     */
    public EngineSocket socket(String id) {
        return sessions.get(id);
    }

    /**
     * Adds the Engine.IO handler to a pipeline that already decodes HTTP (one call per channel). With
     * {@code perMessageDeflate} on, the WebSocket compression handler is added in front of it.
     *
     * @param pipeline the new channel's pipeline, with an {@link HttpServerCodec} (or equivalent) already in it;
     *                 the handlers are added at its end
     */
    public void addTo(ChannelPipeline pipeline) {
        if (options.perMessageDeflate()) {
            pipeline.addLast("engine-ws-deflate", PerMessageDeflate.handler(options));
        }
        pipeline.addLast("engine", newHandler());
    }

    /**
     * Adds the Engine.IO handlers right after a named handler that decodes HTTP: for pipelines another server
     * built (Reactor Netty's, under Spring WebFlux), where the handlers after the codec are that server's own and
     * must keep seeing every request that is not for this server's path.
     *
     * @param pipeline a channel's pipeline
     * @param codec    the name of the HTTP codec handler in it
     * @throws java.util.NoSuchElementException when the pipeline has no handler of that name
     */
    public void addAfter(ChannelPipeline pipeline, String codec) {
        pipeline.addAfter(codec, "engine", newHandler());
        if (options.perMessageDeflate()) {
            pipeline.addAfter(codec, "engine-ws-deflate", PerMessageDeflate.handler(options));
        }
    }

    /**
     * A new Engine.IO routing handler for one channel. Unlike {@link #addTo(ChannelPipeline)}, it leaves out the
     * WebSocket compression handler.
     *
     * @return a handler that answers requests for this server's path and passes every other request on
     */
    public ChannelHandler newHandler() {
        return new EngineHttpHandler(this);
    }

    /**
     * Listens on all interfaces; returns the bound port (useful with port 0).
     *
     * @param port the TCP port, or 0 for any free port
     * @return the port actually bound
     */
    public int listen(int port) {
        return listen(new InetSocketAddress(port), null);
    }

    /**
     * Listens on an address. {@code routes}, if not null, adds the handlers for requests to other paths (an
     * application's pages) to each connection's pipeline, after the Engine.IO handler; without it they get 404.
     * May be called more than once to listen on several addresses; all share the same event loops, created by the
     * first call. Blocks until the port is bound, and fails if it cannot be.
     *
     * @param address the address and port to bind; port 0 picks a free one
     * @param routes  adds the application's handlers to each new connection's pipeline, or {@code null}
     * @return the port actually bound
     */
    public synchronized int listen(InetSocketAddress address, Consumer<ChannelPipeline> routes) {
        if (bossGroup == null) {
            transport = NettyTransports.of(options.ioTransport());
            bossGroup = transport.newGroup(1);
            workerGroup = transport.newGroup(
                    options.ioThreads() > 0 ? options.ioThreads() : NettyTransports.defaultThreads());
        }
        if (options.startupWarmup() && WARMED.compareAndSet(false, true)) {
            warmUp();
        }
        Channel ch = bind(address, routes, false);
        serverChannels.add(ch);
        int bound = ((InetSocketAddress) ch.localAddress()).getPort();
        ServerTls tls = options.tls();
        if (tls != null) {
            tls.watch();
        }
        log.info("Engine.IO listening on {}://{}:{}{}/ ({}{})", tls != null ? "https" : "http",
                address.getHostString(), bound, options.path(), transport.name(),
                tls != null ? ", TLS: " + tls.engineName() : "");
        return bound;
    }

    private Channel bind(InetSocketAddress address, Consumer<ChannelPipeline> routes, boolean warmup) {
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                // A restarted server binds its port again at once, past the last run's connections in TIME_WAIT
                // (Node's listeners do the same).
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SlowConsumers.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        ChannelPipeline p = c.pipeline();
                        if (options.tls() != null && !warmup) {
                            p.addLast("tls", options.tls().newHandler(c.alloc()));
                        }
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("http-timeouts", new HttpTimeouts(options));
                        if (options.allowedHosts() != null && !warmup) {
                            p.addLast("host-check", new HostCheck(options.allowedHosts()));
                        }
                        addTo(p);
                        if (routes != null) {
                            routes.accept(p);
                        } else {
                            p.addLast("not-found", new NotFoundHandler());
                        }
                    }
                })
                .bind(address).syncUninterruptibly().channel();
    }

    /**
     * Runs {@link StartupWarmup} against a private loopback port with this server's pipeline, before the real port
     * opens. Once per process: what it buys (loaded classes, compiled code) is the JVM's, not the server's.
     */
    private void warmUp() {
        long start = System.nanoTime();
        Channel ch = bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, true);
        warmupChannel = ch;
        int sessions = 0;
        try {
            sessions = new StartupWarmup(((InetSocketAddress) ch.localAddress()).getPort(), options).run();
        } catch (IOException | RuntimeException e) {
            log.debug("startup warm-up ended early: {}", e.toString());
        } finally {
            ch.close().syncUninterruptibly();
            warmupChannel = null;
            for (EngineSocket s : warmSessions) {
                s.close();
            }
            warmSessions.clear();
        }
        log.debug("startup warm-up: {} sessions in {} ms", sessions,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Whether a connection came in on the warm-up port: its sessions go to the warm-up listener. */
    boolean isWarmup(Channel connection) {
        Channel w = warmupChannel;
        return w != null && connection.parent() == w;
    }

    /**
     * Who gets the warm-up's sessions instead of {@link #onConnection}'s listener: by default they echo what
     * they receive; the Socket.IO layer serves them from a private namespace. Never the application.
     *
     * @param listener receives each warm-up session; replaces the default echo
     * @return this server
     */
    public EngineServer onWarmupConnection(Consumer<EngineSocket> listener) {
        this.warmupListener = listener;
        return this;
    }

    /** The transport {@code listen} resolved its {@link IoTransport} choice to; null before {@code listen}. */
    synchronized String ioTransportName() {
        return transport == null ? null : transport.name();
    }

    /**
     * Stops taking new connections (the listening sockets close; the port is free); the sessions already open go
     * on until {@link #close()}. For a graceful shutdown that lets work in progress finish first.
     */
    public synchronized void stopAccepting() {
        List<Future<?>> unbound = new ArrayList<>();
        for (Channel ch : serverChannels) {
            unbound.add(ch.close());
        }
        serverChannels.clear();
        awaitAll(unbound, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * Closes every session ("server shutting down"), stops listening and releases the event loops it made. Returns
     * within {@link #CLOSE_LIMIT_SECONDS} seconds whatever happens on the loops: an application task that blocks
     * one (a listener that never returns) is left behind with a warning, not waited for.
     */
    @Override
    public synchronized void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_LIMIT_SECONDS);
        List<Future<?>> unbound = new ArrayList<>();
        for (Channel ch : serverChannels) {
            unbound.add(ch.close());
        }
        serverChannels.clear();
        if (options.tls() != null) {
            options.tls().close();
        }
        awaitAll(unbound, deadline(deadline, 1));
        List<Future<?>> closing = new ArrayList<>();
        for (EngineSession s : List.copyOf(sessions.values())) {
            closing.add(s.shutdown());
        }
        awaitAll(closing, deadline(deadline, 3));
        EventLoopGroup hosted = hostGroup;
        if (hosted != null) {
            // Let each loop run what is queued on it (close packets, a poll's last answer) before it stops.
            List<Future<?>> written = new ArrayList<>();
            for (EventExecutor loop : hosted) {
                written.add(loop.submit(() -> { }));
            }
            awaitAll(written, deadline(deadline, 5));
            awaitAll(List.of(hosted.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS)), deadline);
            hostGroup = null;
        }
        if (workerGroup != null) {
            // A loop that shuts down closes its channels before it runs what is queued: first let every loop write
            // the close frames and close packets queued on it (a poll is answered from its session's loop).
            List<Future<?>> written = new ArrayList<>();
            for (EventExecutor loop : workerGroup) {
                written.add(loop.submit(() -> { }));
            }
            awaitAll(written, deadline(deadline, 5));
            Future<?> workers = workerGroup.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS);
            Future<?> boss = bossGroup.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS);
            awaitAll(List.of(workers, boss), deadline);
            if (!workers.isDone() || !boss.isDone()) {
                log.warn("event loops still busy {} s after close began (a blocking task on a loop?); not waiting",
                        CLOSE_LIMIT_SECONDS);
            }
            workerGroup = null;
            bossGroup = null;
        }
    }

    /** The most {@link #close} takes, in seconds. */
    public static final int CLOSE_LIMIT_SECONDS = 8;

    /** The earlier of the overall deadline and {@code seconds} from now. */
    private static long deadline(long overall, int seconds) {
        return Math.min(overall, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
    }

    private static void awaitAll(List<Future<?>> futures, long deadline) {
        for (Future<?> f : futures) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    // ---- for the transports ----

    EngineSession session(String id) {
        return sessions.get(id);
    }

    /**
     * A loop for a session whose connections belong to a host (a servlet container): its state and timers live
     * here, as a Netty session's live on its connection's loop. No I/O runs on these loops.
     */
    EventLoop hostLoop() {
        EventLoopGroup group = hostGroup;
        if (group == null) {
            synchronized (this) {
                group = hostGroup;
                if (group == null) {
                    int threads = options.ioThreads() > 0 ? options.ioThreads()
                            : Runtime.getRuntime().availableProcessors();
                    group = new io.netty.channel.DefaultEventLoopGroup(threads,
                            new io.netty.util.concurrent.DefaultThreadFactory("hibiki-host", true));
                    hostGroup = group;
                }
            }
        }
        return group.next();
    }

    EngineSession newSession(EngineRequest request, EventLoop loop) {
        EngineSession s = new EngineSession(this, SessionIds.next(), request, loop);
        sessions.put(s.id(), s);
        admission.opened(request.remoteAddress());
        return s;
    }

    void fireConnection(EngineSession session, boolean warmup) {
        try {
            if (warmup) {
                warmSessions.add(session);
                warmupListener.accept(session);
                return;
            }
            connectionListener.accept(session);
        } catch (RuntimeException e) {
            log.error("connection listener failed", e);
        }
    }

    void remove(EngineSession session) {
        if (sessions.remove(session.id(), session)) {
            admission.closed(session.request().remoteAddress());
        }
    }

    /**
     * Whether every event loop of this server's own listener runs a task within {@code within}: a loop stuck in a
     * blocking call makes every connection on it wait. Servers mounted with {@code addTo(pipeline)} run on the
     * host's loops, which are the host's to check: for them this answers {@code true}.
     *
     * @param within how long a loop may take to run a task
     * @return completes with {@code true} when every loop ran it in time, {@code false} otherwise (never fails)
     */
    public java.util.concurrent.CompletableFuture<Boolean> eventLoopsResponsive(java.time.Duration within) {
        EventLoopGroup group = workerGroup;
        EventLoopGroup hosted = hostGroup;
        if ((group != null && group.isShuttingDown()) || (hosted != null && hosted.isShuttingDown())) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        List<EventExecutor> loops = new ArrayList<>();
        for (EventLoopGroup g : new EventLoopGroup[] {group, hosted}) {
            if (g != null) {
                g.forEach(loops::add);
            }
        }
        List<java.util.concurrent.CompletableFuture<Void>> ran = new java.util.ArrayList<>();
        for (EventExecutor loop : loops) {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            try {
                loop.execute(() -> done.complete(null));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.completeExceptionally(e);
            }
            ran.add(done);
        }
        return java.util.concurrent.CompletableFuture.allOf(ran.toArray(java.util.concurrent.CompletableFuture[]::new))
                .orTimeout(within.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, e) -> e == null);
    }
}
