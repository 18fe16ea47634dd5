package io.hibiki.spring.boot;

import io.hibiki.socketio.ServerHealth;
import io.hibiki.socketio.SocketIoServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code socketIo} in {@code /actuator/health}: up when the event loops carrying Socket.IO run a task within a
 * second and every namespace's adapter is linked to its cluster.
 */
public final class SocketIoHealthIndicator extends AbstractHealthIndicator {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private final SocketIoServer server;
    private final HostLoops hostLoops;

    SocketIoHealthIndicator(SocketIoServer server, HostLoops hostLoops) {
        super("Socket.IO health check failed");
        this.server = server;
        this.hostLoops = hostLoops;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        long timeout = WITHIN.toMillis() + 1000;
        ServerHealth own = server.health(WITHIN).get(timeout, TimeUnit.MILLISECONDS);
        boolean hostResponsive = hostLoops.responsive(WITHIN).get(timeout, TimeUnit.MILLISECONDS);
        boolean loops = own.eventLoopsResponsive() && hostResponsive;
        (loops && own.clusterLinked() ? builder.up() : builder.down())
                .withDetail("eventLoopsResponsive", loops)
                .withDetail("clusterLinked", own.clusterLinked())
                .withDetail("clients", server.engine().clientsCount());
    }
}
