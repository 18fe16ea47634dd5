package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Which address a request counts as coming from, with and without trusted proxies. */
class ClientAddressTest {

    private static final Predicate<InetAddress> PROXIES = ClientAddress.ranges(List.of("10.0.0.0/8", "::1"));

    private static String resolve(String peer, String... forwardedFor) throws Exception {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String f : forwardedFor) {
            h.add("X-Forwarded-For", f);
        }
        InetSocketAddress r = (InetSocketAddress) ClientAddress.resolve(
                new InetSocketAddress(InetAddress.getByName(peer), 40000), h, PROXIES);
        return r.getAddress().getHostAddress();
    }

    @Test
    void theHeaderCountsOnlyFromATrustedProxy() throws Exception {
        assertEquals("203.0.113.9", resolve("10.1.2.3", "203.0.113.9"));
        assertEquals("198.51.100.7", resolve("198.51.100.7", "203.0.113.9"), "an untrusted peer is the client");
        assertEquals("10.1.2.3", resolve("10.1.2.3"), "no header: the proxy itself");
    }

    @Test
    void theNearestUntrustedHopIsTheClientAndForgedOnesToItsLeftAreIgnored() throws Exception {
        // The client wrote "1.1.1.1" itself; the first proxy appended what it saw (203.0.113.9), then another proxy.
        assertEquals("203.0.113.9", resolve("10.0.0.1", "1.1.1.1, 203.0.113.9, 10.9.9.9"));
        assertEquals("203.0.113.9", resolve("10.0.0.1", "1.1.1.1", "203.0.113.9"));
        assertEquals("10.0.0.1", resolve("10.0.0.1", "not-an-address"), "a broken entry is not trusted");
        assertEquals("2001:db8:0:0:0:0:0:1", resolve("::1", "[2001:db8::1]"));
    }

    @Test
    void rangesAreAddressesOrCidrBlocks() throws Exception {
        Predicate<InetAddress> r = ClientAddress.ranges(List.of("192.168.1.0/24", "127.0.0.1"));
        assertTrue(r.test(InetAddress.getByName("192.168.1.200")));
        assertFalse(r.test(InetAddress.getByName("192.168.2.1")));
        assertTrue(r.test(InetAddress.getByName("127.0.0.1")));
        assertFalse(r.test(InetAddress.getByName("127.0.0.2")));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.ranges(List.of("proxy.example")));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.ranges(List.of("10.0.0.0/33")));
    }

    private static HttpHeaders headers(String... nameValue) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.add(nameValue[i], nameValue[i + 1]);
        }
        return h;
    }

    private static String resolveWith(String peer, HttpHeaders h) throws Exception {
        return ((InetSocketAddress) ClientAddress.resolve(new InetSocketAddress(InetAddress.getByName(peer), 40000),
                h, PROXIES)).getAddress().getHostAddress();
    }

    private static boolean https(String peer, HttpHeaders h) throws Exception {
        return ClientAddress.forwardedHttps(new InetSocketAddress(InetAddress.getByName(peer), 40000), h, PROXIES);
    }

    @Test
    void rfc7239ForwardedNamesTheClientWhenThereIsNoXForwardedFor() throws Exception {
        assertEquals("203.0.113.9", resolveWith("10.1.2.3", headers("Forwarded", "for=203.0.113.9;proto=https")));
        assertEquals("2001:db8:0:0:0:0:0:7", resolveWith("10.1.2.3",
                headers("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https")));
        // Quoted, with a port, and a forged element to the left of what the trusted proxies appended.
        assertEquals("203.0.113.9", resolveWith("10.1.2.3",
                headers("Forwarded", "for=1.1.1.1, for=\"203.0.113.9:5555\", for=10.9.9.9")));
        assertEquals("198.51.100.7", resolveWith("198.51.100.7", headers("Forwarded", "for=203.0.113.9")),
                "from an untrusted peer the header means nothing");
        // An obfuscated identifier is no address: the proxy itself is the client.
        assertEquals("10.1.2.3", resolveWith("10.1.2.3", headers("Forwarded", "for=_hidden")));
        assertEquals("203.0.113.9", resolveWith("10.1.2.3",
                headers("X-Forwarded-For", "203.0.113.9", "Forwarded", "for=1.1.1.1")), "X-Forwarded-For first");
    }

    @Test
    void theSchemeCountsOnlyFromATrustedProxy() throws Exception {
        assertTrue(https("10.1.2.3", headers("X-Forwarded-Proto", "https")));
        assertFalse(https("198.51.100.7", headers("X-Forwarded-Proto", "https")), "untrusted peer");
        assertFalse(https("10.1.2.3", headers("X-Forwarded-Proto", "http")));
        assertFalse(https("10.1.2.3", headers()), "no header: plain HTTP");
        assertTrue(https("10.1.2.3", headers("Forwarded", "for=203.0.113.9;proto=https")));
        assertFalse(https("198.51.100.7", headers("Forwarded", "proto=https")));
        // What the proxy nearest to the server saw wins over what a client wrote to its left.
        assertFalse(https("10.1.2.3", headers("X-Forwarded-Proto", "https, http")));
        assertTrue(https("::1", headers("X-Forwarded-Proto", "HTTPS")));
    }
}
