package io.hibiki.spring.boot;

import io.hibiki.redis.RedisAdapter;
import io.hibiki.redis.RedisAdapterOptions;
import io.hibiki.redis.RedisStreamsAdapter;
import io.hibiki.redis.RedisStreamsOptions;
import io.hibiki.redis.ShardedRedisAdapter;
import io.hibiki.redis.ShardedRedisAdapterOptions;
import io.hibiki.socketio.adapter.AdapterFactory;

/** Kept apart from {@link RedisAdapters} so that hibiki-redis's classes load only when an adapter is asked for. */
final class RedisFactories {

    private RedisFactories() {
    }

    static AdapterFactory of(HibikiProperties.Adapter adapter) {
        String url = adapter.getUrl();
        String key = adapter.getKey();
        return switch (adapter.getType()) {
            case REDIS, REDIS_CLUSTER -> {
                if (adapter.getType() == HibikiProperties.AdapterType.REDIS_CLUSTER
                        && !url.startsWith("redis-cluster://") && !url.startsWith("rediss-cluster://")) {
                    throw new IllegalArgumentException("hibiki.socketio.adapter.url for redis-cluster must be "
                            + "redis-cluster://host1:port1,host2:port2 (or rediss-cluster://), got " + url);
                }
                RedisAdapterOptions o = RedisAdapterOptions.of(url);
                yield RedisAdapter.factory(key == null ? o : o.withKey(key));
            }
            case SHARDED -> {
                ShardedRedisAdapterOptions o = ShardedRedisAdapterOptions.of(url);
                yield ShardedRedisAdapter.factory(key == null ? o : o.withChannelPrefix(key));
            }
            case STREAMS -> {
                RedisStreamsOptions o = RedisStreamsOptions.of(url);
                yield RedisStreamsAdapter.factory(key == null ? o : o.withNames(key, key, key + "#session#"));
            }
            case NONE -> throw new IllegalArgumentException("no adapter");
        };
    }
}
