package io.hibiki.postgres;

import io.hibiki.socketio.adapter.Adapter;
import io.hibiki.socketio.adapter.AdapterFactory;
import io.hibiki.socketio.adapter.AdapterNamespace;
import io.hibiki.socketio.adapter.AdapterSettings;
import io.hibiki.socketio.adapter.cluster.HeartbeatClusterAdapter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL adapter, compatible with Node's {@code @socket.io/postgres-adapter} 0.5: every node of a
 * namespace LISTENs on the channel {@code <prefix>#<namespace>} and publishes with {@code pg_notify}; a message
 * holding binary or longer than the payload threshold goes into the attachments table and the notification only
 * names it. Nodes know each other by heartbeats ({@link HeartbeatClusterAdapter}), so a Node server and a Hibiki
 * server on the same database are one cluster. No Redis needed. Connection state recovery is not available (as in
 * Node). See {@code docs/postgres-wire.md}.
 */
public final class PostgresAdapter extends HeartbeatClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(PostgresAdapter.class);

    private final PostgresPubSub pubsub;
    private final String channel;
    private final Runnable onClose;

    private PostgresAdapter(AdapterNamespace namespace, AdapterSettings settings, PostgresPubSub pubsub,
                            PostgresAdapterOptions options, Runnable onClose) {
        super(namespace, options.heartbeat());
        if (settings.recoveryWindow() != null) {
            log.warn("connection state recovery is not supported by the PostgreSQL adapter; it is off for {}",
                    namespace.name());
        }
        this.pubsub = pubsub;
        this.onClose = onClose;
        this.channel = PostgresPubSub.channel(options.channelPrefix(), namespace.name());
        pubsub.register(channel, this);
    }

    /**
     * A factory sharing one listening and one publishing connection among a server's namespaces; they open with
     * the first adapter and close when the last one closes.
     *
     * @param options the data source, names and limits
     * @return a factory to pass to the server builder
     */
    public static AdapterFactory factory(PostgresAdapterOptions options) {
        return new AdapterFactory() {
            private PostgresPubSub shared;

            @Override
            public synchronized Adapter create(AdapterNamespace namespace, AdapterSettings settings) {
                PostgresPubSub.channel(options.channelPrefix(), namespace.name());
                if (shared == null) {
                    shared = new PostgresPubSub(options);
                }
                PostgresPubSub pubsub = shared;
                return new PostgresAdapter(namespace, settings, pubsub, options, () -> release(pubsub));
            }

            private synchronized void release(PostgresPubSub pubsub) {
                if (pubsub.idle() && shared == pubsub) {
                    shared = null;
                    pubsub.close();
                }
            }
        };
    }

    @Override
    protected CompletableFuture<?> doPublish(Map<String, Object> message) {
        return pubsub.publish(channel, message);
    }

    /** Node's adapter has no private channels: a response goes to the namespace's channel too. */
    @Override
    protected CompletableFuture<?> doPublishResponse(String requesterUid, Map<String, Object> message) {
        return pubsub.publish(channel, message);
    }

    /** The listener now hears this namespace's channel (for the first time, or again after a reconnect). */
    void listening() {
        start();
    }

    void deliver(Map<String, Object> message) {
        onMessage(message);
    }

    void receiveFailed() {
        namespace.observer().adapterError();
    }

    @Override
    public void onClusterGap(Runnable listener) {
        pubsub.onGap(listener);
    }

    @Override
    public boolean linked() {
        return pubsub.linked();
    }

    @Override
    public void close() {
        super.close();
        pubsub.unregister(channel);
        onClose.run();
    }
}
