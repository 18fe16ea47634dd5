package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which encoding a response (the client bundle, a polling payload) goes out in, by {@code Accept-Encoding}. */
class AcceptEncodingTest {

    @Test
    void followsTheClientsWeightsWithGzipOnATie() {
        assertNull(AcceptEncoding.preferred(null));
        assertNull(AcceptEncoding.preferred("identity"));
        assertNull(AcceptEncoding.preferred("br"));
        assertEquals("gzip", AcceptEncoding.preferred("gzip, deflate, br"));
        assertEquals("deflate", AcceptEncoding.preferred("deflate"));
        assertEquals("deflate", AcceptEncoding.preferred("gzip;q=0, deflate"));
        assertEquals("deflate", AcceptEncoding.preferred("gzip;q=0.5, deflate;q=0.8"));
        assertEquals("gzip", AcceptEncoding.preferred("*"));
        assertEquals("deflate", AcceptEncoding.preferred("gzip;q=0, *"));
        assertNull(AcceptEncoding.preferred("*;q=0"));
        assertNull(AcceptEncoding.preferred("gzip;q=zero"));
    }
}
