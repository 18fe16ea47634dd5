/**
 * The PostgreSQL cluster adapter for hibiki-socketio ({@link io.hibiki.postgres.PostgresAdapter}), wire-compatible
 * with Node's {@code @socket.io/postgres-adapter}: for deployments that have PostgreSQL and no Redis.
 */
package io.hibiki.postgres;
