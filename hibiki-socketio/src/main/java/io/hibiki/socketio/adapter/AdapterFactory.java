package io.hibiki.socketio.adapter;

/** Creates the adapter of each namespace. */
@FunctionalInterface
public interface AdapterFactory {

    Adapter create(AdapterNamespace namespace, AdapterSettings settings);
}
