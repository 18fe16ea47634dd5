package io.hibiki.chat.web;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus text exposition, for a direct loopback peer only (never a request a trusted
 * proxy relays), or for whoever presents the bearer token ({@code METRICS_TOKEN}) when one is set. Metrics say who is connected and how busy each event is:
 * nothing a stranger should read.
 */
public final class MetricsRoute {

    public static final String PATH = "/metrics";
    /** Prometheus's text format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;
    private final byte[] token;

    /**
     * @param scrape the registry's exposition
     * @param token  the bearer token to ask for, or null: loopback only
     */
    public MetricsRoute(Supplier<String> scrape, String token) {
        this.scrape = scrape;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** The status for a request from {@code client} with this {@code Authorization} header: 200, 401 or 403. */
    int admit(InetAddress client, String authorization) {
        if (token == null) {
            return client != null && client.isLoopbackAddress() ? 200 : 403;
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return 401;
        }
        byte[] given = authorization.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token) ? 200 : 401;
    }

    /** The exposition now; on a worker thread (a scrape walks every meter). */
    byte[] body() {
        return scrape.get().getBytes(StandardCharsets.UTF_8);
    }
}
