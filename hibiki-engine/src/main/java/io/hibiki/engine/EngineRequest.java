package io.hibiki.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP request that opened a session (the handshake), as upper layers and {@code allowRequest} see it.
 *
 * <p>A session keeps it for its whole life, so it holds only the raw URI, not a decoded query: the query is
 * decoded again when asked for (rarely: the handshake, {@code allowRequest}, an application reading
 * {@code socket.handshake}), which saves a map, its entries and its strings on every idle connection.
 */
public final class EngineRequest {

    private final String uri;
    private final HttpHeaders headers;
    private final SocketAddress remoteAddress;
    private final boolean secure;
    private final long timeMillis;

    /**
     * @param uri           the raw request URI with its query string
     * @param headers       a read-only copy of the request headers (names match without regard to case)
     * @param remoteAddress the peer's address
     * @param secure        whether the client used TLS: to this server, or to a trusted proxy that says so
     * @param time          when the request arrived
     */
    public EngineRequest(String uri, HttpHeaders headers, SocketAddress remoteAddress, boolean secure, Instant time) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.remoteAddress = remoteAddress;
        this.secure = secure;
        this.timeMillis = time.toEpochMilli();
    }

    /** The raw request URI with its query string. */
    public String uri() {
        return uri;
    }

    /** The decoded query parameters, in their order in the URI (a new map on each call). */
    public Map<String, List<String>> query() {
        return new QueryStringDecoder(uri).parameters();
    }

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A read-only copy of the request headers (names match without regard to case). */
    public HttpHeaders headers() {
        return headers;
    }

    /** The {@code Origin} header, or {@code null}. */
    public String origin() {
        return headers.get("Origin");
    }

    /** The peer's address. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Whether the client used TLS: to this server, or to a trusted proxy that says so. */
    public boolean secure() {
        return secure;
    }

    /** When the request arrived (millisecond precision). */
    public Instant time() {
        return Instant.ofEpochMilli(timeMillis);
    }

    @Override
    public String toString() {
        return "EngineRequest[" + uri + " from " + remoteAddress + (secure ? ", TLS" : "") + "]";
    }
}
