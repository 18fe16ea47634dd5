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

    /**
     * The raw request URI with its query string.
     *
     * @return the URI as the client sent it, still percent-encoded, for example
     *         {@code /socket.io/?EIO=4&transport=polling}
     */
    public String uri() {
        return uri;
    }

    /**
     * The decoded query parameters, in their order in the URI (a new map on each call).
     *
     * @return each parameter name with all its values; empty when the URI has no query
     */
    public Map<String, List<String>> query() {
        return new QueryStringDecoder(uri).parameters();
    }

    /**
     * The first value of a query parameter, or {@code null}. Decodes the whole query on each call.
     *
     * @param name the parameter name, matched exactly
     * @return the first decoded value, or {@code null} when the parameter is absent
     */
    public String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * A read-only copy of the request headers (names match without regard to case).
     *
     * @return the handshake's headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The {@code Origin} header, or {@code null}.
     *
     * @return the origin as sent, for example {@code https://example.com}; {@code null} for most non-browser clients
     */
    public String origin() {
        return headers.get("Origin");
    }

    /**
     * The peer's address.
     *
     * @return the client's address, taken from the forwarding headers when the connection came through a trusted
     *         proxy (its port is then 0); may be {@code null} when unknown
     */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Whether the client used TLS: to this server, or to a trusted proxy that says so.
     *
     * @return {@code true} for HTTPS or WSS
     */
    public boolean secure() {
        return secure;
    }

    /**
     * When the request arrived (millisecond precision).
     *
     * @return the arrival time, truncated to the millisecond
     */
    public Instant time() {
        return Instant.ofEpochMilli(timeMillis);
    }

    @Override
    public String toString() {
        return "EngineRequest[" + uri + " from " + remoteAddress + (secure ? ", TLS" : "") + "]";
    }
}
