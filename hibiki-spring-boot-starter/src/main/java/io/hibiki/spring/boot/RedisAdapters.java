package io.hibiki.spring.boot;

import io.hibiki.socketio.adapter.AdapterFactory;

/** The Redis adapter the properties ask for; needs {@code io.hibiki:hibiki-redis} on the class path. */
final class RedisAdapters {

    private RedisAdapters() {
    }

    static AdapterFactory factory(HibikiProperties.Adapter adapter) {
        String url = adapter.getUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("hibiki.socketio.adapter.url is needed for adapter type "
                    + adapter.getType());
        }
        try {
            Class.forName("io.hibiki.redis.RedisAdapter", false, RedisAdapters.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("hibiki.socketio.adapter.type=" + adapter.getType()
                    + " needs io.hibiki:hibiki-redis on the class path");
        }
        return RedisFactories.of(adapter);
    }
}
