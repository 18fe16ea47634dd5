package io.hibiki.redis;

import io.hibiki.redis.ShardedRedisAdapterOptions.SubscriptionMode;
import io.hibiki.testsupport.PrivateRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster primary dies under two Java nodes with the sharded adapter, and comes back: each node keeps
 * serving its own clients meanwhile, and traffic between the nodes resumes on the room whose shard channel lived
 * on the dead primary (its subscription is asked for again on the node's new connection). A cluster of its own,
 * since it is killed.
 */
class RedisClusterOutageIT {

    private PrivateRedisCluster redis;
    private final Cluster cluster = new Cluster();

    @BeforeEach
    void startRedisCluster() throws Exception {
        redis = PrivateRedisCluster.start();
    }

    @AfterEach
    void stop() {
        cluster.close();
        redis.close();
    }

    private Cluster.Node shardedNode(String name) {
        String clientName = "hibiki-it-" + ClassicWire.randomId();
        return cluster.node(name, ShardedRedisAdapter.factory(ShardedRedisAdapterOptions.of(redis.uri())
                .withChannelPrefix(cluster.key).withSubscriptionMode(SubscriptionMode.DYNAMIC)
                .withRequestsTimeout(Duration.ofSeconds(3)).withClientName(clientName)), clientName);
    }

    /** The hash slot of a room's shard channel (dynamic mode: one channel per room). */
    private int slotOf(String room) {
        return SlotHash.getSlot((cluster.key + "#/#" + room + "#").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPrimaryThatDiesAndComesBackCostsOnlyTheTrafficBetweenNodesMeanwhile() throws Exception {
        String room = "outage";
        int owner = redis.ownerOfSlot(slotOf(room));
        Cluster.Node a = shardedNode("a");
        Cluster.Node b = shardedNode("b");
        cluster.awaitServers(a, 2);
        TestClient onA = cluster.client(a, room);
        TestClient onB = cluster.client(b, room);
        ShardedMixedClusterIT.sendUntilReceived(onB, "before", () -> a.io().to(room).emit("before"));

        redis.kill(owner);
        // Each node still serves its own clients: local delivery, and new connections.
        a.io().to(room).emit("local");
        onA.await("local");
        TestClient late = cluster.client(b, room);
        b.io().to(room).emit("local-b");
        late.await("local-b");

        redis.restart(owner);
        ShardedMixedClusterIT.sendUntilReceived(onB, "after", () -> a.io().to(room).emit("after"));
        ShardedMixedClusterIT.sendUntilReceived(onA, "back", () -> b.io().to(room).emit("back"));
        cluster.awaitServers(a, 2);
    }

    @Test
    void aShardSubscriptionFollowsItsSlotToAnotherPrimary() throws Exception {
        String room = "moving";
        int slot = slotOf(room);
        int owner = redis.ownerOfSlot(slot);
        int target = redis.ports().stream().filter(p -> p != owner).findFirst().orElseThrow();
        Cluster.Node a = shardedNode("a");
        Cluster.Node b = shardedNode("b");
        cluster.awaitServers(a, 2);
        TestClient onB = cluster.client(b, room);
        ShardedMixedClusterIT.sendUntilReceived(onB, "before", () -> a.io().to(room).emit("before"));

        // Redis drops the subscription on the old owner; b asks the new one at once, a's publishes follow MOVED.
        // The bound is well under the 30 s periodic topology refresh, which would also restore it, only late.
        redis.moveSlot(slot, target);
        Awaitility.await("after at b").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    a.io().to(room).emit("after");
                    return onB.find("after").isPresent();
                });
    }
}
