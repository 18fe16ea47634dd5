package io.hibiki.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** Admission of new sessions: global and per-address connection limits, and a per-address handshake rate. */
final class ConnectionLimits {

    /** Above this many tracked addresses, idle rate buckets are dropped, so the map cannot grow without bound. */
    private static final int MAX_TRACKED = 10_000;

    private final EngineOptions options;
    private final IntSupplier open;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Bucket> rates = new ConcurrentHashMap<>();

    ConnectionLimits(EngineOptions options, IntSupplier open) {
        this.options = options;
        this.open = open;
    }

    /** Why a handshake from {@code remote} is refused now, or {@code null} to accept it. */
    String refusal(SocketAddress remote) {
        if (options.maxConnections() > 0 && open.getAsInt() >= options.maxConnections()) {
            return "maxConnections (" + options.maxConnections() + ") reached";
        }
        InetAddress ip = ip(remote);
        if (ip == null) {
            return null;
        }
        if (options.maxConnectionsPerIp() > 0) {
            AtomicInteger n = perIp.get(ip);
            if (n != null && n.get() >= options.maxConnectionsPerIp()) {
                return "maxConnectionsPerIp (" + options.maxConnectionsPerIp() + ") reached for " + ip;
            }
        }
        double rate = options.handshakesPerSecondPerIp();
        if (rate > 0) {
            if (rates.size() > MAX_TRACKED) {
                rates.values().removeIf(Bucket::full);
            }
            // Burst 10x the rate, but at least one handshake: under 0.1/s a smaller bucket would never fill to one.
            if (!rates.computeIfAbsent(ip, k -> new Bucket(rate, Math.max(1, rate * 10))).tryTake()) {
                return "handshake rate exceeded for " + ip;
            }
        }
        return null;
    }

    void opened(SocketAddress remote) {
        InetAddress ip = ip(remote);
        if (ip != null && options.maxConnectionsPerIp() > 0) {
            perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    void closed(SocketAddress remote) {
        InetAddress ip = ip(remote);
        if (ip != null && options.maxConnectionsPerIp() > 0) {
            perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private static InetAddress ip(SocketAddress remote) {
        return remote instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** A token bucket. */
    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double perSecond, double capacity) {
            this.perNano = perSecond / 1e9;
            this.capacity = capacity;
            this.tokens = capacity;
        }

        synchronized boolean tryTake() {
            refill();
            if (tokens >= 1) {
                tokens--;
                return true;
            }
            return false;
        }

        synchronized boolean full() {
            refill();
            return tokens >= capacity;
        }

        private void refill() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
