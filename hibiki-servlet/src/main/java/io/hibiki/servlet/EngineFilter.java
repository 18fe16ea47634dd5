package io.hibiki.servlet;

import io.hibiki.engine.EngineHost;
import io.hibiki.engine.EngineServer;
import io.hibiki.engine.HostUpgrade;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves Engine.IO (and so Socket.IO) in a servlet container, on the application's own port: requests for the
 * engine's path are answered here, every other request goes down the filter chain. Register it for the path
 * ({@code /socket.io/*}) with async support on; WebSocket handshakes are upgraded through the container's Jakarta
 * WebSocket {@link ServerContainer}. A waiting poll holds no container thread (servlet async).
 *
 * <p>What the servlet model costs: a polling request's body is read on the container's thread (at most
 * {@code maxHttpBufferSize} + 1 bytes), and a WebSocket handshake waits there for {@code allowRequestAsync}.
 */
public final class EngineFilter implements Filter {

    /** Longer than a poll ever waits (the ping interval): only a lost client reaches it. */
    private final long asyncTimeoutMillis;
    private final EngineHost host;
    private final int maxBody;

    /**
     * @param engine the engine to serve (for Socket.IO: {@code SocketIoServer.engine()})
     */
    public EngineFilter(EngineServer engine) {
        this.host = new EngineHost(engine);
        this.maxBody = engine.options().maxHttpBufferSize();
        this.asyncTimeoutMillis = engine.options().pingInterval().toMillis()
                + engine.options().pingTimeout().toMillis() + 10_000;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || !host.serves(request.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        ServletHostRequest hosted = new ServletHostRequest(request, response);
        if (EngineHost.isWebSocketUpgrade(hosted.headers())) {
            upgrade(request, response, hosted);
            return;
        }
        byte[] body = readBody(request.getInputStream());
        AsyncContext async = request.startAsync();
        async.setTimeout(asyncTimeoutMillis);
        Runnable gone = host.handle(hosted, body);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                clientGone(gone, hosted);
            }

            @Override
            public void onError(AsyncEvent event) {
                clientGone(gone, hosted);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        hosted.goAsync(async);
    }

    private static void clientGone(Runnable gone, ServletHostRequest hosted) {
        if (!hosted.answered()) {
            gone.run();
            hosted.abort();
        }
    }

    private void upgrade(HttpServletRequest request, HttpServletResponse response, ServletHostRequest hosted)
            throws IOException, ServletException {
        HostUpgrade upgrade;
        try {
            upgrade = host.checkUpgrade(hosted).toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ServletException("WebSocket handshake check failed", e);
        }
        if (upgrade == null) {
            return; // refused, and answered
        }
        ServerContainer container = (ServerContainer) request.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new ServletException("the servlet container has no Jakarta WebSocket ServerContainer");
        }
        EngineEndpoint endpoint = new EngineEndpoint(host, upgrade);
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(EngineEndpoint.class,
                request.getRequestURI()).configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }
                }).build();
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException e) {
            throw new ServletException(e);
        }
    }

    /** At most one byte more than allowed: enough for the engine to answer 413 without reading a huge body. */
    private byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while (out.size() <= maxBody && (n = in.read(chunk, 0, Math.min(chunk.length, maxBody + 1 - out.size()))) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
