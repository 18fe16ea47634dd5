package io.hibiki.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which encoding the client bundle goes out in, by the request's {@code Accept-Encoding}. */
class ClientBundleEncodingTest {

    @Test
    void followsTheClientsWeightsWithGzipOnATie() {
        assertNull(ClientBundleHandler.encoding(null));
        assertNull(ClientBundleHandler.encoding("identity"));
        assertNull(ClientBundleHandler.encoding("br"));
        assertEquals("gzip", ClientBundleHandler.encoding("gzip, deflate, br"));
        assertEquals("deflate", ClientBundleHandler.encoding("deflate"));
        assertEquals("deflate", ClientBundleHandler.encoding("gzip;q=0, deflate"));
        assertEquals("deflate", ClientBundleHandler.encoding("gzip;q=0.5, deflate;q=0.8"));
        assertEquals("gzip", ClientBundleHandler.encoding("*"));
        assertEquals("deflate", ClientBundleHandler.encoding("gzip;q=0, *"));
        assertNull(ClientBundleHandler.encoding("*;q=0"));
        assertNull(ClientBundleHandler.encoding("gzip;q=zero"));
    }
}
