package io.hibiki.spring.boot;

import io.hibiki.engine.Transport;
import io.hibiki.servlet.EngineFilter;
import io.hibiki.micrometer.SocketIoMetrics;
import io.hibiki.socketio.Middleware;
import io.hibiki.socketio.SocketIoOptions;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.spring.boot.annotation.SocketIoController;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * A {@link SocketIoServer} from the {@code hibiki.socketio.*} properties, its annotated controllers and middleware
 * beans bound, its meters in the application's registry, its health in {@code /actuator/health}, served on the
 * application's own port under WebFlux (Reactor Netty) or on {@code hibiki.socketio.port}, and closed gracefully
 * in Spring's lifecycle.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "hibiki.socketio", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(HibikiProperties.class)
public class HibikiAutoConfiguration {

    /**
     * The threads handlers run on, so that they may block. Hibiki's own rather than Spring's task executor, which by
     * default stops taking tasks when the context starts closing (before any lifecycle stops), while Hibiki's graceful
     * close must still run the handlers of events already received. Destroyed after the lifecycle's close.
     */
    @Bean(name = "hibikiHandlerExecutor", destroyMethod = "shutdown")
    HandlerExecutor hibikiHandlerExecutor(HibikiProperties properties) {
        return new HandlerExecutor(properties.getHandlerThreads());
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    SocketIoServer socketIoServer(HibikiProperties properties, ObjectProvider<SocketIoOptionsCustomizer> customizers,
                                  ObjectProvider<com.fasterxml.jackson.databind.ObjectMapper> jackson2,
                                  ObjectProvider<MeterRegistry> registry, HandlerExecutor handlers) {
        SocketIoOptions.Builder b = SocketIoServer.builder()
                .path(properties.getPath())
                .connectTimeout(properties.getConnectTimeout())
                .serveClient(properties.isServeClient())
                .maxRoomsPerSocket(properties.getMaxRoomsPerSocket())
                .engine(e -> e.pingInterval(properties.getPingInterval())
                        .pingTimeout(properties.getPingTimeout())
                        .maxHttpBufferSize(properties.getMaxHttpBufferSize())
                        .transports(properties.getTransports().stream().map(HibikiAutoConfiguration::transport)
                                .toArray(Transport[]::new)));
        HibikiProperties.Cors cors = properties.getCors();
        b.cors(c -> {
            if (cors.getOrigins().contains("*")) {
                c.allowAnyOrigin();
            } else if (!cors.getOrigins().isEmpty()) {
                c.allowOrigins(cors.getOrigins().toArray(String[]::new));
            }
            c.credentials(cors.isCredentials()).enforce(cors.isEnforce());
        });
        HibikiProperties.Recovery recovery = properties.getRecovery();
        if (recovery.isEnabled()) {
            b.connectionStateRecovery(recovery.getMaxDisconnectionDuration(), recovery.isSkipMiddlewares());
        }
        com.fasterxml.jackson.databind.ObjectMapper mapper = jackson2.getIfUnique();
        if (mapper != null) {
            b.mapper(mapper);
        }
        if (handlers.threads() > 0) {
            // Handlers of Spring applications call repositories and services that block; the event loops must not.
            b.listenerExecutor(handlers);
        }
        MeterRegistry meters = registry.getIfUnique();
        if (meters != null && properties.getMetrics().isEnabled()) {
            b.observer(SocketIoMetrics.builder(meters).maxEventNames(properties.getMetrics().getMaxEventNames())
                    .build());
        }
        if (properties.getAdapter().getType() != HibikiProperties.AdapterType.NONE) {
            b.adapter(RedisAdapters.factory(properties.getAdapter()));
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    private static Transport transport(String name) {
        Transport t = Transport.fromWireName(name.trim());
        if (t == null) {
            throw new IllegalArgumentException("hibiki.socketio.transports: unknown transport " + name
                    + " (polling, websocket)");
        }
        return t;
    }

    @Bean
    @ConditionalOnMissingBean
    PayloadBinder hibikiPayloadBinder(SocketIoServer server, ApplicationContext context) {
        PayloadBinder jackson3 = Jackson3Binders.fromContext(context, server.mapper());
        return jackson3 != null ? jackson3 : new Jackson2PayloadBinder(server.mapper());
    }

    @Bean
    HostLoops hibikiHostLoops() {
        return new HostLoops();
    }

    /** Binds controllers and middleware once every bean exists, before the web server takes connections. */
    @Bean
    SmartInitializingSingleton hibikiControllerBinder(SocketIoServer server, PayloadBinder binder,
                                                      ApplicationContext context,
                                                      ObjectProvider<Middleware> middleware,
                                                      ObjectProvider<NamespaceMiddleware> namespaceMiddleware) {
        return () -> {
            middleware.orderedStream().forEach(server::use);
            namespaceMiddleware.orderedStream().forEach(m -> server.of(m.namespace()).use(m.middleware()));
            SocketIoControllers.bind(server, context.getBeansWithAnnotation(SocketIoController.class), binder);
        };
    }

    @Bean
    SocketIoLifecycle hibikiLifecycle(SocketIoServer server, HibikiProperties properties, Environment environment,
                                      ObjectProvider<ApplicationPortHosting> hosting) {
        Duration grace = properties.getShutdownGrace();
        if (grace == null) {
            grace = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
                    Duration.ofSeconds(30));
        }
        boolean mounted = hosting.stream().anyMatch(ApplicationPortHosting::active);
        return new SocketIoLifecycle(server, properties.getPort(), mounted, grace);
    }

    /** Socket.IO on the application's own port: Hibiki's handler in each Reactor Netty connection's pipeline. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = {"org.springframework.boot.reactor.netty.NettyServerCustomizer",
            "reactor.netty.http.server.HttpServer"})
    static class ReactorNettyHosting {

        @Bean
        ReactorNettyMount hibikiReactorNettyMount(SocketIoServer server, HostLoops loops,
                                                  HibikiProperties properties) {
            return new ReactorNettyMount(server, loops, properties.getPort() == null);
        }
    }

    /**
     * Socket.IO on a servlet application's own port (Spring MVC on Tomcat or Jetty): Hibiki's filter on the
     * Socket.IO path, polling through servlet async and WebSocket through the container's Jakarta WebSocket.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"jakarta.servlet.Filter", "jakarta.websocket.server.ServerContainer"})
    static class ServletHosting {

        @Bean
        FilterRegistrationBean<EngineFilter> hibikiEngineFilter(SocketIoServer server, HibikiProperties properties) {
            FilterRegistrationBean<EngineFilter> registration = new FilterRegistrationBean<>(
                    new EngineFilter(server.engine()));
            String path = server.options().engine().path();
            registration.addUrlPatterns(path.endsWith("/") ? path + "*" : path + "/*");
            registration.setAsyncSupported(true);
            // Before the application's own filters: Socket.IO requests are not the application's to rewrite.
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
            registration.setEnabled(properties.getPort() == null);
            return registration;
        }

        @Bean
        FilterRegistrationBean<ClientBundleFilter> hibikiClientBundleFilter(SocketIoServer server,
                                                                            HibikiProperties properties) {
            String path = server.options().engine().path();
            FilterRegistrationBean<ClientBundleFilter> registration = new FilterRegistrationBean<>(
                    new ClientBundleFilter(path));
            registration.addUrlPatterns(path + "/*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 101);
            registration.setEnabled(properties.getPort() == null && server.options().serveClient());
            return registration;
        }

        @Bean
        ApplicationPortHosting hibikiServletHosting(HibikiProperties properties) {
            return () -> properties.getPort() == null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "socketIoHealthIndicator")
        SocketIoHealthIndicator socketIoHealthIndicator(SocketIoServer server, HostLoops loops) {
            return new SocketIoHealthIndicator(server, loops);
        }
    }
}
