package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        HttpHeaders copy = HandshakeHeaders.copyOf(decoded);
        assertEquals(4, copy.size());
        assertEquals("127.0.0.1:3000", copy.get("host"));
        assertEquals("127.0.0.1:3000", copy.get("HOST"));
        assertEquals(List.of("a", "b"), copy.getAll("X-CUSTOM-THING"));
        assertEquals("io=abc", copy.get("cookie"));
        assertNull(copy.get("origin"));
        assertEquals(Set.of("host", "X-Custom-Thing", "x-custom-thing", "cookie"), copy.names());
        assertThrows(UnsupportedOperationException.class, () -> copy.add("Evil", "1"), "read-only");
    }
}
