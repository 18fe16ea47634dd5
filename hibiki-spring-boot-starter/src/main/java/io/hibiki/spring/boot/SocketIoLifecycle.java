package io.hibiki.spring.boot;

import io.hibiki.socketio.SocketIoServer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts a Socket.IO listener of its own when {@code hibiki.socketio.port} is set, and closes the server gracefully
 * when the application stops: before the web server's own graceful shutdown (a higher phase stops first), so
 * clients get Socket.IO's clean disconnect and handlers have {@code grace} to send the acknowledgements they owe.
 */
final class SocketIoLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SocketIoLifecycle.class);

    /** After the web server's graceful shutdown phase ({@code DEFAULT_PHASE - 1024}) in stopping order. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final SocketIoServer server;
    private final Integer port;
    private final boolean mounted;
    private final Duration grace;
    private volatile boolean running;
    private volatile int boundPort = -1;

    SocketIoLifecycle(SocketIoServer server, Integer port, boolean mounted, Duration grace) {
        this.server = server;
        this.port = port;
        this.mounted = mounted;
        this.grace = grace;
    }

    @Override
    public void start() {
        if (port != null) {
            boundPort = server.listen(port);
            log.info("Socket.IO listening on port {}", boundPort);
        } else if (!mounted) {
            throw new IllegalStateException("Socket.IO has no port to serve on: set hibiki.socketio.port, or run a "
                    + "WebFlux application on Reactor Netty, where it shares the application's port");
        }
        running = true;
    }

    /** The port of Socket.IO's own listener, or -1 when it shares the application's. */
    int port() {
        return boundPort;
    }

    @Override
    public void stop() {
        running = false;
        log.info("Socket.IO closing; waiting up to {} for owed acknowledgements", grace);
        server.close(grace);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
