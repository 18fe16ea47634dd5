package io.hibiki.socketio.adapter;

/** Creates the adapter of each namespace. */
@FunctionalInterface
public interface AdapterFactory {

    /**
     * Makes the adapter of one namespace. The server calls it once per namespace, when the namespace is created:
     * the main one at startup, others on first use. A dynamic child namespace is created on the event loop of the
     * client that asked for it, so this must not block.
     *
     * @param namespace the namespace the adapter serves: its name, its local sockets, the packet encoder
     * @param settings  the server settings the adapter must honour
     * @return a new adapter, which the server closes when the namespace goes away or the server closes
     */
    Adapter create(AdapterNamespace namespace, AdapterSettings settings);
}
