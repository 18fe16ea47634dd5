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

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a request from {@code origin} may be served cross-origin. */
    public boolean allows(String origin) {
        return anyOrigin || (origin != null && originAllowed.test(origin));
    }

    public boolean anyOrigin() {
        return anyOrigin;
    }

    public boolean credentials() {
        return credentials;
    }

    public List<String> methods() {
        return methods;
    }

    /** Allowed request headers; {@code null} means: reflect what the preflight asks for. */
    public List<String> allowedHeaders() {
        return allowedHeaders;
    }

    public int maxAgeSeconds() {
        return maxAgeSeconds;
    }

    /** Whether requests carrying a disallowed {@code Origin} header are refused with 403. */
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

        /** Exact origins allowed (e.g. {@code https://app.example}); default none. */
        public Builder allowOrigins(String... origins) {
            Set<String> set = Set.of(origins);
            return allowOrigin(set::contains);
        }

        /** Origins matching a pattern (the whole origin must match). */
        public Builder allowOriginPattern(Pattern pattern) {
            Objects.requireNonNull(pattern);
            return allowOrigin(o -> pattern.matcher(o).matches());
        }

        /** Origins accepted by a predicate; adds to the ones already allowed. */
        public Builder allowOrigin(Predicate<String> predicate) {
            this.originAllowed = this.originAllowed.or(predicate);
            return this;
        }

        /** Any origin ({@code Access-Control-Allow-Origin: *}); default off. */
        public Builder allowAnyOrigin() {
            this.anyOrigin = true;
            return this;
        }

        /** Send {@code Access-Control-Allow-Credentials: true}; default off. */
        public Builder credentials(boolean credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Methods allowed by a preflight; default GET, POST. */
        public Builder methods(String... methods) {
            this.methods = List.of(methods);
            return this;
        }

        /** Request headers allowed by a preflight; default: reflect the requested ones. */
        public Builder allowedHeaders(String... headers) {
            this.allowedHeaders = List.of(headers);
            return this;
        }

        /** Preflight cache lifetime; default not sent. */
        public Builder maxAgeSeconds(int seconds) {
            this.maxAgeSeconds = seconds;
            return this;
        }

        /** Refuse (403) requests whose {@code Origin} is not allowed; default off, as in Node. */
        public Builder enforce(boolean enforce) {
            this.enforce = enforce;
            return this;
        }

        public CorsOptions build() {
            return new CorsOptions(this);
        }
    }
}
