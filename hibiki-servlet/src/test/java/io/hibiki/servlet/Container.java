package io.hibiki.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.websocket.server.WsSci;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded servlet container on a free loopback port: the application's one servlet answers every path with its
 * own 404 text, and Hibiki's filter sits on the Socket.IO path in front of it, as an application would set it up.
 */
abstract class Container implements AutoCloseable {

    static final String APP_ANSWER = "the application's own route";

    abstract int port();

    /** Starts Tomcat or Jetty with {@code filter} on {@code path/*}. */
    static Container start(String kind, EngineFilter filter, String path) throws Exception {
        return switch (kind) {
            case "tomcat" -> new TomcatContainer(filter, path);
            case "jetty" -> new JettyContainer(filter, path);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The application's servlet: anything the filter lets through ends here. */
    static final class AppServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setStatus(404);
            res.setContentType("text/plain");
            res.getWriter().write(APP_ANSWER);
        }
    }

    private static final class TomcatContainer extends Container {
        private final Tomcat tomcat = new Tomcat();
        private final Path base;

        TomcatContainer(EngineFilter filter, String path) throws Exception {
            base = Files.createTempDirectory("hibiki-tomcat");
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context ctx = tomcat.addContext("", base.toString());
            ctx.addServletContainerInitializer(new WsSci(), null);
            FilterDef def = new FilterDef();
            def.setFilterName("hibiki");
            def.setFilter(filter);
            def.setAsyncSupported("true");
            ctx.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("hibiki");
            map.addURLPattern(path + "/*");
            ctx.addFilterMap(map);
            Tomcat.addServlet(ctx, "app", new AppServlet()).setAsyncSupported(true);
            ctx.addServletMappingDecoded("/", "app");
            tomcat.start();
        }

        @Override
        int port() {
            return tomcat.getConnector().getLocalPort();
        }

        @Override
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static final class JettyContainer extends Container {
        private final Server server = new Server();
        private final ServerConnector connector;

        JettyContainer(EngineFilter filter, String path) throws Exception {
            connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler ctx = new ServletContextHandler("/");
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            ctx.addFilter(holder, path + "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            ServletHolder app = new ServletHolder(new AppServlet());
            app.setAsyncSupported(true);
            ctx.addServlet(app, "/");
            JakartaWebSocketServletContainerInitializer.configure(ctx, null);
            server.setHandler(ctx);
            server.start();
        }

        @Override
        int port() {
            return connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }
}
