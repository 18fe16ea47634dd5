package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.RawHttp;
import io.hibiki.testsupport.RawWebSocket;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node's {@code initial_headers} and {@code headers} hooks (issue 21): a sticky cookie set on the handshake's answer
 * only, and a header on every session answer that shows the request's own headers were readable: the client sends
 * the cookie back, and the server sees it.
 */
class EngineHeaderHooksIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private EngineServer server;
    private int port;

    @BeforeEach
    void start() {
        server = new EngineServer(EngineOptions.builder().build());
        server.onConnection(s -> s.onMessage(s::send));
        server.onInitialHeaders((headers, req) -> headers.add(HttpHeaderNames.SET_COOKIE, "sticky=node-7; Path=/"));
        server.onHeaders((headers, req) -> headers.set("X-Seen-Cookie", req.headers().get(HttpHeaderNames.COOKIE,
                "none")));
        port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawHttp.Response exchange(String request) throws Exception {
        try (RawHttp c = RawHttp.open(port, WAIT)) {
            return c.send(request).read();
        }
    }

    @Test
    void theHandshakeSetsTheCookieAndLaterRequestsAreSeenCarryingIt() throws Exception {
        RawHttp.Response open = exchange("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(200, open.status());
        assertEquals("sticky=node-7; Path=/", open.header("set-cookie"));
        assertEquals("none", open.header("x-seen-cookie"));
        String sid = open.body().substring(9, 29);

        RawHttp.Response post = exchange("POST /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nCookie: sticky=node-7\r\nContent-Length: 3\r\n\r\n4hi");
        assertEquals("ok", post.body());
        assertNull(post.header("set-cookie"), "only the handshake's answer gets the initial headers");
        assertEquals("sticky=node-7", post.header("x-seen-cookie"));

        RawHttp.Response poll = exchange("GET /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nCookie: sticky=node-7\r\n\r\n");
        assertEquals("4hi", poll.body());
        assertEquals("sticky=node-7", poll.header("x-seen-cookie"));

        // The upgrade of that session is no handshake: every-answer headers only.
        try (RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket&sid=" + sid,
                "Cookie: sticky=node-7")) {
            String head = ws.responseHead().toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 101"), head);
            assertTrue(head.contains("x-seen-cookie: sticky=node-7"), head);
            assertTrue(!head.contains("set-cookie"), head);
        }
    }

    @Test
    void aWebSocketOnlySessionGetsTheInitialHeadersOnIts101() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/engine.io/?EIO=4&transport=websocket")) {
            String head = ws.responseHead().toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 101"), head);
            assertTrue(head.contains("set-cookie: sticky=node-7; path=/"), head);
            assertTrue(head.contains("x-seen-cookie: none"), head);
        }
    }
}
