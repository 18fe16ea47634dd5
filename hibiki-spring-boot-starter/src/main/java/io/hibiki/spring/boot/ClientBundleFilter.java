package io.hibiki.spring.boot;

import io.hibiki.socketio.ClientBundle;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The browser client at {@code <path>/socket.io.min.js} and its siblings on a servlet container, as Hibiki's Netty
 * server serves it ({@code hibiki.socketio.serve-client}); every other request goes down the chain.
 */
final class ClientBundleFilter implements Filter {

    private final String prefix;

    ClientBundleFilter(String path) {
        this.prefix = path + "/";
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && request.getRequestURI().startsWith(prefix)) {
            ClientBundle.Answer answer = ClientBundle.answer(request.getRequestURI().substring(prefix.length()),
                    request.getHeader("If-None-Match"), request.getHeader("Accept-Encoding"));
            if (answer != null) {
                response.setStatus(answer.status());
                answer.headers().forEach(response::setHeader);
                response.setContentLength(answer.body().length);
                response.getOutputStream().write(answer.body());
                return;
            }
        }
        chain.doFilter(req, res);
    }
}
