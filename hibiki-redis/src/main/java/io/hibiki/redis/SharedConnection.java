package io.hibiki.redis;

import java.util.function.Supplier;

/** The Redis connections of one server, opened for its first namespace's adapter, closed after its last. */
final class SharedConnection {

    private final Supplier<RedisConnection> open;
    private RedisConnection connection;
    private int users;

    SharedConnection(Supplier<RedisConnection> open) {
        this.open = open;
    }

    synchronized RedisConnection acquire() {
        if (connection == null) {
            connection = open.get();
        }
        users++;
        return connection;
    }

    synchronized void release() {
        if (--users == 0 && connection != null) {
            connection.close();
            connection = null;
        }
    }
}
