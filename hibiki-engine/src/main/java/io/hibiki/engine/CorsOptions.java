package io.hibiki.engine;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Cross-origin rules for the Engine.IO endpoint. Without any allowed origin no CORS headers are sent, so
 * browsers refuse cross-origin polling; with {@link Builder#enforce(boolean)} requests from a disallowed
 * {@code Origin} are also refused outright (403), which is what protects WebSocket, since browsers apply no
 * CORS to WebSocket handshakes.
 */
public final class CorsOptions {

    /** No cross-origin access. */
    public static final CorsOptions NONE = builder().build();

    private final Predicate<String> originAllowed;
    private final boolean anyOrigin;
    private final boolean credentials;
    private final List<String> methods;
    private final List<String> allowedHeaders;
    private final int maxAgeSeconds;
    private final boolean enforce;

    private CorsOptions(Builder b) {
        this.originAllowed = b.originAllowed;
        this.anyOrigin = b.anyOrigin;
        this.credentials = b.credentials;
        this.methods = List.copyOf(b.methods);
        this.allowedHeaders = b.allowedHeaders == null ? null : List.copyOf(b.allowedHeaders);
        this.maxAgeSeconds = b.maxAgeSeconds;
        this.enforce = b.enforce;
        if (anyOrigin && credentials) {
            // Browsers reject "*" with credentials; reflecting any origin with credentials would let every site
            // act with the user's cookies. Neither is what anyone wants.
            throw new IllegalArgumentException("CORS: a wildcard origin cannot be combined with credentials");
        }
    }

    /**
     * Starts a set of rules that allows no cross-origin access until told otherwise.
     *
     * @return a new builder with every option at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether a request from {@code origin} may be served cross-origin.
     *
     * @param origin the request's {@code Origin} header, or {@code null} when it had none
     * @return {@code true} when any origin is allowed, or this one matches an allowed origin; {@code false} for
     *         {@code null} otherwise
     */
    public boolean allows(String origin) {
        return anyOrigin || (origin != null && originAllowed.test(origin));
    }

    /**
     * Whether every origin is allowed, answered with {@code Access-Control-Allow-Origin: *}.
     *
     * @return {@code true} after {@link Builder#allowAnyOrigin()}; default {@code false}
     */
    public boolean anyOrigin() {
        return anyOrigin;
    }

    /**
     * Whether responses to allowed origins carry {@code Access-Control-Allow-Credentials: true}, so that browsers
     * send cookies cross-origin.
     *
     * @return {@code true} when credentials are allowed; default {@code false}
     */
    public boolean credentials() {
        return credentials;
    }

    /**
     * The methods a preflight answer allows, sent in {@code Access-Control-Allow-Methods}.
     *
     * @return the methods, read-only; default {@code GET} and {@code POST}
     */
    public List<String> methods() {
        return methods;
    }

    /**
     * Allowed request headers; {@code null} means: reflect what the preflight asks for.
     *
     * @return the header names, read-only, or {@code null} (the default)
     */
    public List<String> allowedHeaders() {
        return allowedHeaders;
    }

    /**
     * How long browsers may cache a preflight answer, sent in {@code Access-Control-Max-Age}.
     *
     * @return the lifetime in seconds; negative (the default, -1) when the header is not sent
     */
    public int maxAgeSeconds() {
        return maxAgeSeconds;
    }

    /**
     * Whether requests carrying a disallowed {@code Origin} header are refused with 403. Requests whose origin
     * matches their own {@code Host} are never refused.
     *
     * @return {@code true} when enforcing; default {@code false}
     */
    public boolean enforce() {
        return enforce;
    }

    /** Builder; every option has the default named on its method. */
    public static final class Builder {
        private Predicate<String> originAllowed = origin -> false;
        private boolean anyOrigin;
        private boolean credentials;
        private List<String> methods = List.of("GET", "POST");
        private List<String> allowedHeaders;
        private int maxAgeSeconds = -1;
        private boolean enforce;

        private Builder() {
        }

        /**
         * Exact origins allowed (e.g. {@code https://app.example}); default none. Adds to the ones already allowed.
         *
         * @param origins scheme, host and port as browsers send them in {@code Origin}, without a trailing slash;
         *                compared exactly, case included; no {@code null} and no duplicates
         * @return this builder
         */
        public Builder allowOrigins(String... origins) {
            Set<String> set = Set.of(origins);
            return allowOrigin(set::contains);
        }

        /**
         * Origins matching a pattern (the whole origin must match). Adds to the ones already allowed.
         *
         * @param pattern the regular expression an origin must match from start to end, for example
         *                {@code https://[a-z]+\.example\.com}
         * @return this builder
         */
        public Builder allowOriginPattern(Pattern pattern) {
            Objects.requireNonNull(pattern);
            return allowOrigin(o -> pattern.matcher(o).matches());
        }

        /**
         * Origins accepted by a predicate; adds to the ones already allowed.
         *
         * @param predicate tests the {@code Origin} header of a request, never given {@code null}; called on an
         *                  event loop for every request that has one, so it must be fast and must not block
         * @return this builder
         */
        public Builder allowOrigin(Predicate<String> predicate) {
            this.originAllowed = this.originAllowed.or(predicate);
            return this;
        }

        /**
         * Any origin ({@code Access-Control-Allow-Origin: *}); default off. Cannot be combined with
         * {@link #credentials(boolean) credentials}: {@link #build()} refuses it.
         *
         * @return this builder
         */
        public Builder allowAnyOrigin() {
            this.anyOrigin = true;
            return this;
        }

        /**
         * Send {@code Access-Control-Allow-Credentials: true}; default off.
         *
         * @param credentials {@code true} to let browsers send cookies and HTTP authentication cross-origin to the
         *                    allowed origins
         * @return this builder
         */
        public Builder credentials(boolean credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * Methods allowed by a preflight; default GET, POST.
         *
         * @param methods the method names, replacing the default
         * @return this builder
         */
        public Builder methods(String... methods) {
            this.methods = List.of(methods);
            return this;
        }

        /**
         * Request headers allowed by a preflight; default: reflect the requested ones.
         *
         * @param headers the header names a cross-origin request may carry
         * @return this builder
         */
        public Builder allowedHeaders(String... headers) {
            this.allowedHeaders = List.of(headers);
            return this;
        }

        /**
         * Preflight cache lifetime; default not sent.
         *
         * @param seconds how long browsers may reuse a preflight answer, in seconds; negative to not send the header
         * @return this builder
         */
        public Builder maxAgeSeconds(int seconds) {
            this.maxAgeSeconds = seconds;
            return this;
        }

        /**
         * Refuse (403) requests whose {@code Origin} is not allowed; default off, as in Node. Turn it on to protect
         * WebSocket handshakes, which browsers make from any page.
         *
         * @param enforce {@code true} to refuse such requests before they reach a session
         * @return this builder
         */
        public Builder enforce(boolean enforce) {
            this.enforce = enforce;
            return this;
        }

        /**
         * Creates the rules.
         *
         * @return the rules, immutable
         * @throws IllegalArgumentException if any origin is allowed together with credentials
         */
        public CorsOptions build() {
            return new CorsOptions(this);
        }
    }
}
