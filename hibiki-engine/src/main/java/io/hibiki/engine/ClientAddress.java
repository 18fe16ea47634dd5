package io.hibiki.engine;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The address a request really comes from, and the scheme it was made with. A connection's peer is the client,
 * unless the peer is one of the operator's trusted proxies: then it is the nearest address in
 * {@code X-Forwarded-For} (or, without that header, in the {@code for=} parameters of RFC 7239's
 * {@code Forwarded}), read from the right, that is not itself a trusted proxy. Without trusted proxies these headers
 * are ignored: anyone can write them.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * The client behind {@code peer}; {@code peer} itself when it is not a trusted proxy.
     *
     * @param peer    the address at the other end of the connection
     * @param headers the request headers, read for {@code X-Forwarded-For} and {@code Forwarded}
     * @param trusted which addresses are trusted proxies; {@code null} trusts none
     * @return {@code peer} unchanged when it is not a trusted proxy; otherwise the client address found in the
     *         headers (or the proxy's own, when they name none), with port 0
     */
    public static SocketAddress resolve(SocketAddress peer, HttpHeaders headers, Predicate<InetAddress> trusted) {
        InetAddress proxy = trustedProxy(peer, trusted);
        if (proxy == null) {
            return peer;
        }
        List<String> hops = forwarded(headers, "X-Forwarded-For", "for");
        InetAddress client = proxy;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break; // a forged or broken entry: trust nothing to its left
            }
            client = hop;
            if (!trusted.test(hop)) {
                break;
            }
        }
        return new InetSocketAddress(client, 0);
    }

    /**
     * Whether a trusted proxy says the client used HTTPS: the last {@code X-Forwarded-Proto} value (what the
     * proxy nearest to this server saw), or without it the last {@code proto=} of {@code Forwarded}. False for a
     * peer that is not a trusted proxy, whatever it writes.
     *
     * @param peer    the address at the other end of the connection
     * @param headers the request headers, read for {@code X-Forwarded-Proto} and {@code Forwarded}
     * @param trusted which addresses are trusted proxies; {@code null} trusts none
     * @return {@code true} when a trusted proxy reports {@code https} or {@code wss} (in any case)
     */
    public static boolean forwardedHttps(SocketAddress peer, HttpHeaders headers, Predicate<InetAddress> trusted) {
        if (trustedProxy(peer, trusted) == null) {
            return false;
        }
        List<String> protos = forwarded(headers, "X-Forwarded-Proto", "proto");
        if (protos.isEmpty()) {
            return false;
        }
        String last = protos.get(protos.size() - 1);
        return last.equalsIgnoreCase("https") || last.equalsIgnoreCase("wss");
    }

    /**
     * Whether a request came over HTTPS: TLS on this connection, or a trusted proxy that says so
     * ({@link #forwardedHttps}). The one rule for {@link EngineRequest#secure()} and for anything an application
     * adds on the same connection (a {@code Strict-Transport-Security} header, say).
     *
     * @param connection the request's connection
     * @param headers    the request headers
     * @param trusted    which addresses are trusted proxies; {@code null} trusts none
     * @return {@code true} for HTTPS
     */
    public static boolean usedHttps(io.netty.channel.Channel connection, HttpHeaders headers,
                                    Predicate<InetAddress> trusted) {
        return connection.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null
                || forwardedHttps(connection.remoteAddress(), headers, trusted);
    }

    /** The peer's address when it is one of the trusted proxies, else null. */
    private static InetAddress trustedProxy(SocketAddress peer, Predicate<InetAddress> trusted) {
        if (trusted == null || !(peer instanceof InetSocketAddress p) || p.getAddress() == null
                || !trusted.test(p.getAddress())) {
            return null;
        }
        return p.getAddress();
    }

    /**
     * The comma-separated values of an {@code X-Forwarded-*} header, in order; without that header, the
     * {@code parameter} of RFC 7239's {@code Forwarded}.
     */
    private static List<String> forwarded(HttpHeaders headers, String xForwarded, String parameter) {
        List<String> values = new ArrayList<>();
        for (String header : headers.getAll(xForwarded)) {
            for (String value : header.split(",")) {
                values.add(value.trim());
            }
        }
        return values.isEmpty() ? forwardedParameter(headers, parameter) : values;
    }

    /** One parameter of every element of every {@code Forwarded} header, in order, unquoted. */
    private static List<String> forwardedParameter(HttpHeaders headers, String name) {
        List<String> values = new ArrayList<>();
        for (String header : headers.getAll("Forwarded")) {
            for (String element : header.split(",")) {
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
                        String v = pair.substring(eq + 1).trim();
                        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                            v = v.substring(1, v.length() - 1);
                        }
                        values.add(v);
                    }
                }
            }
        }
        return values;
    }

    /**
     * Trusted proxies as addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}, {@code 127.0.0.1}).
     *
     * @param entries IP literals, each optionally followed by {@code /} and a prefix length; host names are not
     *                looked up and count as invalid
     * @return a test that is true for an address inside any of the entries; an IPv4 entry never matches an IPv6
     *         address, nor the reverse
     * @throws IllegalArgumentException for an entry that is neither
     */
    public static Predicate<InetAddress> ranges(List<String> entries) {
        List<byte[]> networks = new ArrayList<>();
        List<Integer> prefixes = new ArrayList<>();
        for (String e : entries) {
            String[] parts = e.trim().split("/", 2);
            InetAddress a = literal(parts[0]);
            if (a == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + e);
            }
            int bits = a.getAddress().length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("bad prefix length in " + e);
            }
            networks.add(a.getAddress());
            prefixes.add(prefix);
        }
        return address -> {
            byte[] b = address.getAddress();
            for (int i = 0; i < networks.size(); i++) {
                if (inRange(b, networks.get(i), prefixes.get(i))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean inRange(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal (never a name lookup), with or without a port ({@code 1.2.3.4:5}, {@code [::1]:5}), or null. */
    private static InetAddress literal(String s) {
        String t = s;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            t = close < 0 ? "" : t.substring(1, close);
        } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            t = t.substring(0, t.indexOf(':')); // IPv4 with a port; a bare IPv6 literal has several colons
        }
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return null;
        }
        try {
            return InetAddress.getByName(t); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
