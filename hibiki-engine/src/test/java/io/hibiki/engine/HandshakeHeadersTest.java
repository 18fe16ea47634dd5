package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandshakeHeadersTest {

    @Test
    void theCopyKeepsEveryValueAndMatchesNamesWithoutCase() {
        HttpHeaders decoded = new DefaultHttpHeaders()
                .add("Host", "127.0.0.1:3000")
                .add("X-Custom-Thing", "a")
                .add("x-custom-thing", "b")
                .add("Cookie", "io=abc");
        HttpHeaders copy = HandshakeHeaders.copyOf(decoded, new SharedStrings());
        assertEquals(4, copy.size());
        assertEquals("127.0.0.1:3000", copy.get("host"));
        assertEquals("127.0.0.1:3000", copy.get("HOST"));
        assertEquals(List.of("a", "b"), copy.getAll("X-CUSTOM-THING"));
        assertEquals("io=abc", copy.get("cookie"));
        assertNull(copy.get("origin"));
        assertEquals(Set.of("host", "X-Custom-Thing", "x-custom-thing", "cookie"), copy.names());
        assertThrows(UnsupportedOperationException.class, () -> copy.add("Evil", "1"), "read-only");
    }

    @Test
    void commonValuesAreSharedBetweenSessionsButKeysAndCookiesAreNot() {
        SharedStrings shared = new SharedStrings();
        HttpHeaders a = HandshakeHeaders.copyOf(new DefaultHttpHeaders()
                .add("Host", new String("example.test:3000".toCharArray()))
                .add("Sec-WebSocket-Key", new String("dGhlIHNhbXBsZSBub25jZQ==".toCharArray()))
                .add("Cookie", new String("io=abc".toCharArray())), shared);
        HttpHeaders b = HandshakeHeaders.copyOf(new DefaultHttpHeaders()
                .add("Host", new String("example.test:3000".toCharArray()))
                .add("Sec-WebSocket-Key", new String("dGhlIHNhbXBsZSBub25jZQ==".toCharArray()))
                .add("Cookie", new String("io=abc".toCharArray())), shared);
        assertSame(a.get("host"), b.get("host"), "one Host string for both sessions");
        assertNotSame(a.get("sec-websocket-key"), b.get("sec-websocket-key"));
        assertNotSame(a.get("cookie"), b.get("cookie"));
    }

    @Test
    void theSharedValuesStayBoundedWhateverClientsSend() {
        SharedStrings shared = new SharedStrings();
        for (int i = 0; i < SharedStrings.MAX_ENTRIES * 3; i++) {
            HttpHeaders copy = HandshakeHeaders.copyOf(new DefaultHttpHeaders().add("User-Agent", "bot-" + i),
                    shared);
            assertEquals("bot-" + i, copy.get("user-agent"), "the value is kept even when not shared");
        }
        assertTrue(shared.size() <= SharedStrings.MAX_ENTRIES, "table size " + shared.size());
    }
}
