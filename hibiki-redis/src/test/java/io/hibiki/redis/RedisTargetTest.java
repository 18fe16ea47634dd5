package io.hibiki.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisTargetTest {

    @Test
    void aPlainRedisUriIsOneServer() {
        RedisTarget t = RedisTarget.parse("redis://:secret@10.0.0.5:6380/2");
        assertFalse(t.cluster());
        assertEquals("10.0.0.5:6380", t.address());
        assertEquals(2, t.nodes().get(0).getDatabase());
        assertArrayEquals("secret".toCharArray(), t.nodes().get(0).getCredentialsProvider().resolveCredentials()
                .block().getPassword());
    }

    @Test
    void aClusterUriNamesItsSeedsAndKeepsCredentialsOutOfTheAddress() {
        RedisTarget t = RedisTarget.parse("redis-cluster://app:pw@127.0.0.1:7000, 127.0.0.1:7001,[::1]:7002");
        assertTrue(t.cluster());
        assertEquals(List.of("127.0.0.1", "127.0.0.1", "::1"), t.nodes().stream().map(RedisURI::getHost).toList());
        assertEquals(List.of(7000, 7001, 7002), t.nodes().stream().map(RedisURI::getPort).toList());
        RedisURI first = t.nodes().get(0);
        assertEquals("app", first.getCredentialsProvider().resolveCredentials().block().getUsername());
        assertFalse(first.isSsl());
        assertFalse(t.address().contains("pw"), t.address());
    }

    @Test
    void rediss_clusterMeansTlsAndAPasswordAloneIsAPassword() {
        RedisTarget t = RedisTarget.parse("rediss-cluster://:pw@a.example:7000");
        assertTrue(t.nodes().get(0).isSsl());
        assertNull(t.nodes().get(0).getCredentialsProvider().resolveCredentials().block().getUsername());
    }

    @Test
    void badClusterUrisAreRefusedWithoutEchoingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisTarget.parse("redis-cluster://u:topsecret@127.0.0.1:x"));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis-cluster://"));
        assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis-cluster://127.0.0.1"));
    }

    @Test
    void theStreamsAdapterRefusesAClusterAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisStreamsAdapter.factory(RedisStreamsOptions.of("redis-cluster://127.0.0.1:7000")));
        assertTrue(e.getMessage().contains("single Redis server"), e.getMessage());
    }
}
