package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawHttp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real server behind a "proxy" on loopback: what {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and
 * {@code Forwarded} change (the client's address, whether it used HTTPS, and so the cookie's {@code Secure}) when
 * the peer is a trusted proxy, and that they change nothing when it is not.
 */
class ForwardedHeadersIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private EngineServer server;
    private final BlockingQueue<EngineRequest> handshakes = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(String trusted) {
        server = new EngineServer(EngineOptions.builder().cookie(EngineOptions.CookieOptions.DEFAULT)
                .trustedProxies(ClientAddress.ranges(List.of(trusted))).build());
        server.onConnection(s -> handshakes.add(s.request()));
        return server.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    private RawHttp.Response handshake(int port, String headers) throws Exception {
        try (RawHttp http = RawHttp.open(port, WAIT)) {
            return http.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                    + "\r\n").read();
        }
    }

    private EngineRequest nextHandshake() throws InterruptedException {
        EngineRequest r = handshakes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no session was opened");
        }
        return r;
    }

    private static String address(EngineRequest r) {
        return ((InetSocketAddress) r.remoteAddress()).getAddress().getHostAddress();
    }

    @Test
    void fromATrustedProxyTheHeadersNameTheClientAndItsScheme() throws Exception {
        int port = start("127.0.0.1");
        RawHttp.Response r = handshake(port, "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n");
        assertEquals(200, r.status(), r.body());
        EngineRequest seen = nextHandshake();
        assertEquals("203.0.113.9", address(seen));
        assertTrue(seen.secure(), "the proxy says the client used HTTPS");
        assertTrue(r.header("Set-Cookie").contains("Secure"), r.header("Set-Cookie"));

        handshake(port, "Forwarded: for=\"198.51.100.4:1234\";proto=https\r\n");
        EngineRequest rfc = nextHandshake();
        assertEquals("198.51.100.4", address(rfc));
        assertTrue(rfc.secure());

        RawHttp.Response plain = handshake(port, "X-Forwarded-For: 203.0.113.9\r\n");
        assertFalse(nextHandshake().secure(), "no scheme header: plain HTTP");
        assertFalse(plain.header("Set-Cookie").contains("Secure"), plain.header("Set-Cookie"));
    }

    @Test
    void fromAnyoneElseTheHeadersAreIgnored() throws Exception {
        int port = start("10.0.0.0/8");
        RawHttp.Response r = handshake(port, "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n"
                + "Forwarded: for=198.51.100.4;proto=https\r\n");
        assertEquals(200, r.status(), r.body());
        EngineRequest seen = nextHandshake();
        assertEquals("127.0.0.1", address(seen), "the peer itself");
        assertFalse(seen.secure());
        assertFalse(r.header("Set-Cookie").contains("Secure"), r.header("Set-Cookie"));
    }
}
