package io.hibiki.chat.web;

import io.hibiki.chat.KeyedRateLimit;
import io.hibiki.engine.ClientAddress;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Who may upload, and how often: only a chat identity (the user id and token the server issued, sent as
 * {@code X-Chat-User} and {@code X-Chat-Token}), within a rate per user and per address.
 */
public final class UploadPolicy {

    /** The answer to one upload request, with what a refused client is told. */
    public enum Decision {
        ADMITTED(HttpResponseStatus.CREATED, "", ""),
        UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "uploads need the chat identity (X-Chat-User and X-Chat-Token headers)"),
        RATE_LIMITED(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited", "too many uploads; wait a minute"),
        OVER_QUOTA(HttpResponseStatus.TOO_MANY_REQUESTS, "over_quota",
                "your uploads of the last day reach the quota; try again later"),
        LENGTH_REQUIRED(HttpResponseStatus.LENGTH_REQUIRED, "length_required",
                "send the upload with a Content-Length");

        private final HttpResponseStatus status;
        private final String code;
        private final String message;

        Decision(HttpResponseStatus status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }

        HttpResponseStatus status() {
            return status;
        }

        String code() {
            return code;
        }

        String message() {
            return message;
        }
    }

    private final BiPredicate<String, String> identity;
    private final KeyedRateLimit perUser;
    private final KeyedRateLimit perAddress;
    private final Predicate<InetAddress> trustedProxies;
    /** Bytes per user per day, as a budget that refills over the day. */
    private final KeyedRateLimit bytesPerUser;

    /**
     * @param identity       whether a (user id, token) pair is one the server issued
     * @param perMinute      uploads per minute per user, and per address
     * @param burst          uploads at once
     * @param trustedProxies proxies whose {@code X-Forwarded-For} names the client, or null
     * @param bytesPerDay    what one user may upload in a day
     */
    public UploadPolicy(BiPredicate<String, String> identity, double perMinute, int burst,
                        Predicate<InetAddress> trustedProxies, long bytesPerDay) {
        this.identity = identity;
        this.trustedProxies = trustedProxies;
        this.bytesPerUser = new KeyedRateLimit(bytesPerDay / 86_400.0, (int) Math.min(Integer.MAX_VALUE, bytesPerDay),
                100_000);
        this.perUser = new KeyedRateLimit(perMinute / 60, burst, 100_000);
        this.perAddress = new KeyedRateLimit(perMinute / 60, burst, 100_000);
    }

    Decision admit(String userId, String token, SocketAddress peer, HttpHeaders headers, long length) {
        if (userId == null || token == null || !identity.test(userId, token)) {
            return Decision.UNAUTHORIZED;
        }
        if (length < 0) {
            return Decision.LENGTH_REQUIRED;
        }
        SocketAddress from = ClientAddress.resolve(peer, headers, trustedProxies);
        String address = from instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(from);
        if (!perUser.tryTake(userId) || !perAddress.tryTake(address)) {
            return Decision.RATE_LIMITED;
        }
        // The declared length counts against the day's budget, whether or not the upload then succeeds.
        if (!bytesPerUser.tryTake(userId, length)) {
            return Decision.OVER_QUOTA;
        }
        return Decision.ADMITTED;
    }
}
