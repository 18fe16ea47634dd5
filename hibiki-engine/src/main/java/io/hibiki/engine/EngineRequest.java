package io.hibiki.engine;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The HTTP request that opened a session (the handshake), as upper layers and {@code allowRequest} see it.
 *
 * @param uri           the raw request URI with its query string
 * @param query         decoded query parameters
 * @param headers       a read-only copy of the request headers (names match without regard to case)
 * @param remoteAddress the peer's address
 * @param secure        whether the connection used TLS
 * @param time          when the request arrived
 */
public record EngineRequest(String uri, Map<String, List<String>> query, HttpHeaders headers,
                            SocketAddress remoteAddress, boolean secure, Instant time) {

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The {@code Origin} header, or {@code null}. */
    public String origin() {
        return headers.get("Origin");
    }
}
