package io.hibiki.spring.boot;

import io.hibiki.socketio.Middleware;
import java.util.Objects;

/**
 * A middleware bean for a namespace other than {@code /}. A plain {@link Middleware} bean runs for {@code /}.
 *
 * @param namespace  the namespace, for example {@code /chat}
 * @param middleware what decides on each socket joining it
 */
public record NamespaceMiddleware(String namespace, Middleware middleware) {

    /**
     * @param namespace  the namespace, for example {@code /chat}; required
     * @param middleware what decides on each socket joining it; required
     */
    public NamespaceMiddleware {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(middleware, "middleware");
    }
}
