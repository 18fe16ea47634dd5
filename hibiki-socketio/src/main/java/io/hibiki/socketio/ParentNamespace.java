package io.hibiki.socketio;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Dynamic namespaces ({@code io.of(Pattern)} / {@code io.of(predicate)}): a child namespace is created for each
 * new matching name a client connects to. Middleware registered here runs for every child (those added before
 * the child was created, as in Node); connection listeners see every child's sockets.
 */
public final class ParentNamespace {

    private final SocketIoServer server;
    private final Predicate<String> matcher;
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
    private final Set<Namespace> children = ConcurrentHashMap.newKeySet();

    ParentNamespace(SocketIoServer server, Predicate<String> matcher) {
        this.server = server;
        this.matcher = matcher;
    }

    boolean matches(String name) {
        return matcher.test(name);
    }

    /**
     * Adds a middleware for the connecting sockets of every child namespace created from now on; children that
     * already exist keep the middleware they were created with.
     *
     * @param middleware the middleware, run after those added before it
     * @return this parent namespace
     */
    public ParentNamespace use(Middleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /**
     * Called for each socket that joined any child namespace, after the child's own connection listeners.
     *
     * @param listener given the new socket; {@link Socket#namespace()} tells which child it joined
     * @return this parent namespace
     */
    public ParentNamespace onConnection(Consumer<Socket> listener) {
        connectionListeners.add(listener);
        return this;
    }

    /**
     * The child namespaces created so far.
     *
     * @return a copy of the current children; a child removed by {@code cleanupEmptyChildNamespaces} is not in it
     */
    public Set<Namespace> children() {
        return Set.copyOf(children);
    }

    /**
     * Emits to every socket of every child namespace.
     *
     * @param event the event name; not a reserved one
     * @param args  the arguments: JSON-able values, with {@code byte[]} sent as binary attachments
     * @throws IllegalArgumentException when the event name is {@code null} or reserved (noticed only when there
     *                                  is at least one child)
     */
    public void emit(String event, Object... args) {
        for (Namespace child : children) {
            child.emit(event, args);
        }
    }

    Namespace createChild(String name) {
        Namespace child = new Namespace(server, name, this);
        for (Middleware m : middlewares) {
            child.use(m);
        }
        children.add(child);
        return child;
    }

    void fireConnection(Socket socket, Client client) {
        for (Consumer<Socket> l : connectionListeners) {
            client.dispatch(() -> l.accept(socket));
        }
    }

    void removeChild(Namespace child) {
        children.remove(child);
        server.forgetNamespace(child);
    }
}
