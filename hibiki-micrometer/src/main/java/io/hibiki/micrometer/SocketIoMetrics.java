package io.hibiki.micrometer;

import io.hibiki.socketio.observer.ServerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters for a Hibiki Socket.IO server, with no framework: give it to the server as its observer.
 *
 * <pre>{@code
 * SocketIoMetrics metrics = SocketIoMetrics.builder(registry).build();
 * SocketIoServer io = SocketIoServer.builder().observer(metrics).build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters (Prometheus names in brackets)</caption>
 *   <tr><td>{@code socketio.sockets.connected} gauge {namespace}</td><td>sockets connected now
 *       ({@code socketio_sockets_connected})</td></tr>
 *   <tr><td>{@code socketio.connects} counter {namespace}</td><td>({@code socketio_connects_total})</td></tr>
 *   <tr><td>{@code socketio.disconnects} counter {namespace, reason}</td><td>Node's reason strings
 *       ({@code socketio_disconnects_total})</td></tr>
 *   <tr><td>{@code socketio.events.received} counter {namespace, event}</td><td>events from clients, as they
 *       arrive ({@code socketio_events_received_total})</td></tr>
 *   <tr><td>{@code socketio.events.sent} counter {namespace, event}</td><td>events written to sockets, one per
 *       recipient ({@code socketio_events_sent_total})</td></tr>
 *   <tr><td>{@code socketio.payload.sent} counter {namespace}, {@code socketio.payload.received} counter</td>
 *       <td>payload bytes out (per recipient) and in, without transport framing
 *       ({@code socketio_payload_sent_bytes_total}, {@code socketio_payload_received_bytes_total})</td></tr>
 *   <tr><td>{@code socketio.adapter.published}, {@code .received}, {@code .errors}, {@code .request.timeouts}
 *       counters</td><td>the cluster adapter's traffic (Redis adapters), failures and timed-out requests</td></tr>
 *   <tr><td>{@code socketio.ack.duration} timer {namespace}</td><td>a socket's {@code emitWithAck} to the
 *       client's answer, with a percentile histogram ({@code socketio_ack_duration_seconds})</td></tr>
 * </table>
 *
 * <p>Tags stay bounded whatever clients send: event names are client input, so only the first
 * {@link Builder#maxEventNames} distinct names (or only {@link Builder#events the names given}) get a tag of their
 * own, names longer than 64 characters never do, and the rest are counted under {@value #OTHER}. Received and sent
 * names are bounded apart, so a client's junk names cannot crowd out the server's own events. Namespaces (which
 * dynamic namespaces can multiply) are bounded the same way by {@link Builder#maxNamespaces}.
 */
public final class SocketIoMetrics implements ServerObserver {

    /** The tag value that folds every name past the bounds. */
    public static final String OTHER = BoundedNames.OTHER;

    private final MeterRegistry registry;
    private final int maxEventNames;
    private final int maxNamespaces;
    private final Set<String> events;
    private final Map<String, Space> spaces = new ConcurrentHashMap<>();
    private final BoundedNames namespaceNames;
    private final Counter bytesReceived;
    private final Counter adapterPublished;
    private final Counter adapterReceived;
    private final Counter adapterErrors;
    private final Counter adapterTimeouts;

    private SocketIoMetrics(Builder b) {
        this.registry = b.registry;
        this.maxEventNames = b.maxEventNames;
        this.maxNamespaces = b.maxNamespaces;
        this.events = b.events;
        this.namespaceNames = new BoundedNames(maxNamespaces, null);
        this.bytesReceived = Counter.builder("socketio.payload.received").baseUnit("bytes")
                .description("Payload of the messages clients sent, without transport framing").register(registry);
        this.adapterPublished = Counter.builder("socketio.adapter.published")
                .description("Messages the adapter sent to the cluster").register(registry);
        this.adapterReceived = Counter.builder("socketio.adapter.received")
                .description("Messages the adapter's subscriptions delivered").register(registry);
        this.adapterErrors = Counter.builder("socketio.adapter.errors")
                .description("Messages the adapter could not send").register(registry);
        this.adapterTimeouts = Counter.builder("socketio.adapter.request.timeouts")
                .description("Requests to the other nodes that timed out").register(registry);
    }

    /**
     * Starts the configuration.
     *
     * @param registry where the meters go
     * @return a builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** A namespace's meters; the event counters are made on first use, within the bound. */
    private final class Space {
        final String name;
        final AtomicLong connected = new AtomicLong();
        final Counter connects;
        final Counter bytesSent;
        final Timer acks;
        final Map<String, Counter> disconnects = new ConcurrentHashMap<>();
        /** Names clients send: bounded apart from the server's own, so junk names cannot crowd those out. */
        final BoundedNames receivedNames = new BoundedNames(maxEventNames, events);
        final BoundedNames sentNames = new BoundedNames(maxEventNames, events);
        final Map<String, Counter> received = new ConcurrentHashMap<>();
        final Map<String, Counter> sent = new ConcurrentHashMap<>();

        Space(String name) {
            this.name = name;
            Tags tags = Tags.of("namespace", name);
            Gauge.builder("socketio.sockets.connected", connected, AtomicLong::get).tags(tags)
                    .description("Sockets connected to the namespace").register(registry);
            connects = Counter.builder("socketio.connects").tags(tags)
                    .description("Sockets that joined the namespace").register(registry);
            bytesSent = Counter.builder("socketio.payload.sent").tags(tags).baseUnit("bytes")
                    .description("Payload written to sockets (each recipient counted), without transport framing")
                    .register(registry);
            acks = Timer.builder("socketio.ack.duration").tags(tags).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                    .description("From a socket's emitWithAck to the client's answer").register(registry);
        }

        Counter disconnects(String reason) {
            // Reasons come from the server, never from clients: a small fixed set.
            return disconnects.computeIfAbsent(reason, r -> Counter.builder("socketio.disconnects")
                    .tags("namespace", name, "reason", r).description("Sockets that left the namespace")
                    .register(registry));
        }

        Counter received(String event) {
            return received.computeIfAbsent(receivedNames.tag(event), tag -> Counter.builder("socketio.events.received")
                    .tags("namespace", name, "event", tag).description("Events received from clients")
                    .register(registry));
        }

        Counter sent(String event) {
            return sent.computeIfAbsent(sentNames.tag(event), tag -> Counter.builder("socketio.events.sent")
                    .tags("namespace", name, "event", tag).description("Events written to sockets, one per recipient")
                    .register(registry));
        }
    }

    private Space space(String namespace) {
        return spaces.computeIfAbsent(namespaceNames.tag(namespace), Space::new);
    }

    @Override
    public void socketConnected(String namespace) {
        Space s = space(namespace);
        s.connected.incrementAndGet();
        s.connects.increment();
    }

    @Override
    public void socketDisconnected(String namespace, String reason) {
        Space s = space(namespace);
        s.connected.decrementAndGet();
        s.disconnects(reason).increment();
    }

    @Override
    public void eventReceived(String namespace, String event) {
        space(namespace).received(event).increment();
    }

    @Override
    public void eventSent(String namespace, String event, int recipients, long payloadBytes) {
        if (recipients > 0) {
            Space s = space(namespace);
            s.sent(event).increment(recipients);
            s.bytesSent.increment((double) recipients * payloadBytes);
        }
    }

    @Override
    public void bytesReceived(long bytes) {
        bytesReceived.increment(bytes);
    }

    @Override
    public void adapterPublished() {
        adapterPublished.increment();
    }

    @Override
    public void adapterReceived() {
        adapterReceived.increment();
    }

    @Override
    public void adapterError() {
        adapterErrors.increment();
    }

    @Override
    public void adapterRequestTimedOut() {
        adapterTimeouts.increment();
    }

    @Override
    public void ackReceived(String namespace, long roundTripNanos) {
        space(namespace).acks.record(roundTripNanos, TimeUnit.NANOSECONDS);
    }

    /** Builder; every option has the default named on its method. */
    public static final class Builder {
        private final MeterRegistry registry;
        private int maxEventNames = 100;
        private int maxNamespaces = 50;
        private Set<String> events;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * How many distinct event names per namespace get a tag of their own; default 100.
         *
         * @param max 0 or more
         * @return this builder
         */
        public Builder maxEventNames(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxEventNames must be >= 0");
            }
            this.maxEventNames = max;
            return this;
        }

        /**
         * How many namespaces get a tag of their own; default 50.
         *
         * @param max 0 or more
         * @return this builder
         */
        public Builder maxNamespaces(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxNamespaces must be >= 0");
            }
            this.maxNamespaces = max;
            return this;
        }

        /**
         * Only these event names get a tag of their own (the application's events); every other is {@value #OTHER}.
         *
         * @param names the names
         * @return this builder
         */
        public Builder events(String... names) {
            this.events = Set.of(names);
            return this;
        }

        /**
         * The meters' owner, to give to {@code SocketIoServer.builder().observer(...)}.
         *
         * @return the metrics
         */
        public SocketIoMetrics build() {
            return new SocketIoMetrics(this);
        }
    }
}
