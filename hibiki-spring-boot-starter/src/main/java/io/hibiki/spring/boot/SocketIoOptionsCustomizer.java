package io.hibiki.spring.boot;

import io.hibiki.socketio.SocketIoOptions;

/**
 * Sets what the {@code hibiki.socketio.*} properties do not: any bean of this type is applied, in bean order, after
 * the properties and before the server is built.
 */
@FunctionalInterface
public interface SocketIoOptionsCustomizer {

    /**
     * Changes the options the server will be built with.
     *
     * @param options the builder, already holding what the properties say
     */
    void customize(SocketIoOptions.Builder options);
}
