/**
 * Redis adapters that make Hibiki servers one cluster with each other and with Node.js servers using the official
 * {@code @socket.io/redis-adapter}: {@link io.hibiki.redis.RedisAdapter} (classic pub/sub) and
 * {@link io.hibiki.redis.ShardedRedisAdapter} (sharded pub/sub, Redis 7+), plus
 * {@link io.hibiki.redis.RedisEmitter} for processes that emit without serving clients. Wire formats:
 * {@code docs/redis-wire.md}.
 */
package io.hibiki.redis;
