package io.hibiki.servlet;

import io.hibiki.engine.HostRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet request as the engine sees it. The answer is written once: on the container's thread while the request
 * is being serviced, or later, from the session's loop, through the request's {@link AsyncContext}.
 */
final class ServletHostRequest implements HostRequest {

    private static final Logger log = LoggerFactory.getLogger(ServletHostRequest.class);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final String uri;
    private final HttpHeaders headers;
    private AsyncContext async;
    private boolean answered;

    ServletHostRequest(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
        String query = request.getQueryString();
        this.uri = query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
        this.headers = new DefaultHttpHeaders();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(name, value);
            }
        }
    }

    /** From here on the answer may come after the servlet has returned. */
    synchronized void goAsync(AsyncContext context) {
        this.async = context;
        if (answered) {
            context.complete();
        }
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public SocketAddress remoteAddress() {
        // getRemoteAddr is an address literal: parsed, never looked up.
        return new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort());
    }

    @Override
    public boolean secure() {
        return request.isSecure();
    }

    @Override
    public synchronized void respond(int status, HttpHeaders responseHeaders, byte[] body) {
        if (answered) {
            return;
        }
        answered = true;
        try {
            response.setStatus(status);
            for (Map.Entry<String, String> h : responseHeaders) {
                response.addHeader(h.getKey(), h.getValue());
            }
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException | IllegalStateException e) {
            log.debug("answer to {} {} not written: {}", request.getMethod(), uri, e.toString());
        } finally {
            if (async != null) {
                async.complete();
            }
        }
    }

    @Override
    public synchronized void abort() {
        if (answered) {
            return;
        }
        answered = true;
        try {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
        } catch (IOException | IllegalStateException e) {
            log.debug("abort of {} {}: {}", request.getMethod(), uri, e.toString());
        } finally {
            if (async != null) {
                async.complete();
            }
        }
    }

    synchronized boolean answered() {
        return answered;
    }
}
