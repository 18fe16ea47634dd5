/**
 * The adapter SPI: what a cluster adapter implements ({@link io.hibiki.socketio.adapter.Adapter}, made per
 * namespace by an {@link io.hibiki.socketio.adapter.AdapterFactory}) and what the server offers it in return
 * ({@link io.hibiki.socketio.adapter.AdapterNamespace}: the local sockets, encoded packets, recovery storage). The
 * in-memory adapter, the default, is here too. Public API for adapter authors; like everything in 0.x, it may
 * change in a minor version.
 */
package io.hibiki.socketio.adapter;
