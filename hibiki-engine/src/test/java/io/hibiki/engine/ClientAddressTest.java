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
}
