package io.hibiki.postgres;

import static io.hibiki.postgres.PgCluster.awaitServers;
import static io.hibiki.postgres.PgCluster.received;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.PrivatePostgres;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database itself restarts (a PostgreSQL of the test's own, stopped "fast" and started again on the same port):
 * both nodes are down while it is away, take new connections once it is back, announce the gap once each, and
 * deliver to each other again.
 */
class PostgresRestartIT {

    @Test
    void bothNodesComeBackAfterADatabaseRestartAndSayThereWasAGap() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start(); PgCluster cluster = new PgCluster()) {
            PgCluster.Node one = cluster.javaNode("one", options(cluster, pg, "one"));
            PgCluster.Node two = cluster.javaNode("two", options(cluster, pg, "two"));
            AtomicInteger gapsOne = new AtomicInteger();
            AtomicInteger gapsTwo = new AtomicInteger();
            one.io().of("/").adapter().onClusterGap(gapsOne::incrementAndGet);
            two.io().of("/").adapter().onClusterGap(gapsTwo::incrementAndGet);
            awaitServers(2, List.of(one, two), List.of());
            NodeScript onTwo = cluster.client(two.port(), "two", "r");

            pg.shutDown();
            PgCluster.waitFor(() -> !one.adapter().linked() && !two.adapter().linked(), "both nodes see the link down");
            pg.boot();

            PgCluster.waitFor(() -> gapsOne.get() == 1 && gapsTwo.get() == 1, "each node announced one gap");
            PgCluster.waitFor(() -> one.adapter().linked() && two.adapter().linked(), "both linked again");
            one.io().to("r").emit("after-restart");
            received(onTwo, "after-restart");
            assertEquals(1, gapsOne.get());
            assertEquals(1, gapsTwo.get());
        }
    }

    private static PostgresAdapterOptions options(PgCluster cluster, PrivatePostgres pg, String name) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres");
        ds.setUser("postgres");
        ds.setApplicationName(cluster.prefix + "-" + name);
        ds.setConnectTimeout(2);
        return cluster.options(cluster.prefix + "-" + name).withDataSource(ds);
    }
}
