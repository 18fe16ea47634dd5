/**
 * For authors of cluster adapters that speak Node's {@code socket.io-adapter} {@code ClusterAdapter} envelope: its
 * wire shapes ({@link io.hibiki.socketio.adapter.cluster.ClusterWire}) and, for transports that only publish and
 * deliver, the node tracking of {@code ClusterAdapterWithHeartbeat}
 * ({@link io.hibiki.socketio.adapter.cluster.HeartbeatClusterAdapter}), on which the PostgreSQL adapter is built.
 */
package io.hibiki.socketio.adapter.cluster;
