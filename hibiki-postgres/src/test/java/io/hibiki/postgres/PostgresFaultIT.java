package io.hibiki.postgres;

import static io.hibiki.postgres.PgCluster.awaitServers;
import static io.hibiki.postgres.PgCluster.hasReceived;
import static io.hibiki.postgres.PgCluster.port;
import static io.hibiki.postgres.PgCluster.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.observer.ServerObserver;
import io.hibiki.testsupport.NodeScript;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter when PostgreSQL fails it or a peer sends too much: nothing lost silently, nothing unbounded. */
class PostgresFaultIT {

    private final PgCluster cluster = new PgCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Counts what the adapter reports to the server's observer. */
    static final class Counts implements ServerObserver {
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        @Override
        public void adapterPublished() {
            published.incrementAndGet();
        }

        @Override
        public void adapterError() {
            errors.incrementAndGet();
        }
    }

    /**
     * Both of a node's connections are cut (as PostgreSQL does when it restarts or a network drops them): the node
     * takes new ones, tells its gap listeners once per cut (so an application can re-sync what it may have missed),
     * and traffic flows both ways again.
     */
    @Test
    void aCutLinkIsRepairedAndTheGapAnnouncedOncePerCut() throws Exception {
        PgCluster.Node java = cluster.javaNode("java");
        AtomicInteger gaps = new AtomicInteger();
        java.io().of("/").adapter().onClusterGap(gaps::incrementAndGet);
        NodeScript node = cluster.nodeNode();
        awaitServers(2, List.of(java), List.of(node));
        NodeScript onJava = cluster.client(java.port(), "java", "r");
        NodeScript onNode = cluster.client(port(node), "n", "r");

        for (int cut = 1; cut <= 2; cut++) {
            assertTrue(PgCluster.terminate(java.application()) >= 1, "the node's sessions were ended");
            int expected = cut;
            PgCluster.waitFor(() -> gaps.get() == expected, "gap " + cut + " announced");
            assertTrue(java.adapter().linked());
            java.io().to("r").emit("after-java-" + cut);
            received(onNode, "after-java-" + cut);
            node.send("{\"cmd\":\"broadcast\",\"room\":\"r\",\"event\":\"after-node-" + cut + "\",\"args\":[]}");
            received(onJava, "after-node-" + cut);
        }
        assertEquals(2, gaps.get());
    }

    /**
     * While PostgreSQL does not answer, messages wait in a bounded queue: those beyond it fail at once (counted as
     * adapter errors) instead of piling up; the queued ones go out when PostgreSQL answers, and the loss is
     * announced as a gap.
     */
    @Test
    void publishesBeyondTheQueueFailAtOnceAndTheLossIsAnnounced() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        DataSource real = PgCluster.dataSource(cluster.prefix + "-gated");
        DataSource gated = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && asked.incrementAndGet() > 0
                            && !answer.await(30, TimeUnit.SECONDS)) {
                        throw new java.sql.SQLException("gate never opened");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Counts counts = new Counts();
        PgCluster.Node java = cluster.javaNode("java", cluster.options("unused").withDataSource(gated)
                .withMaxQueuedPublishes(5), counts);
        AtomicInteger gaps = new AtomicInteger();
        java.io().of("/").adapter().onClusterGap(gaps::incrementAndGet);

        // The publisher takes the first message and waits for a connection; five more wait in the queue.
        java.io().emit("first");
        PgCluster.waitFor(() -> asked.get() == 2, "the listener and the publisher waiting for connections");
        for (int i = 0; i < 20; i++) {
            java.io().emit("burst", i);
        }
        assertEquals(15, counts.errors.get(), "refused at once");
        answer.countDown();
        PgCluster.waitFor(() -> counts.published.get() >= 6, "the first and the five queued published");
        PgCluster.waitFor(() -> gaps.get() == 1, "the loss announced");
    }

    /**
     * Publishing is tried again a second after it failed even while the application keeps emitting: a refusal
     * during that second does not push the next try further (it did, and an instance emitting more than once a
     * second never published again, nor announced its gap).
     */
    @Test
    void publishingIsTriedAgainWhileMessagesKeepComing() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        String application = cluster.prefix + "-flaky";
        DataSource real = PgCluster.dataSource(application);
        DataSource flaky = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && refuse.get()
                            && Thread.currentThread().getName().contains("publisher")) {
                        throw new java.sql.SQLException("refused by the test");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Counts counts = new Counts();
        PgCluster.Node node = cluster.javaNode("java", cluster.options(application).withDataSource(flaky), counts);
        AtomicInteger gaps = new AtomicInteger();
        node.io().of("/").adapter().onClusterGap(gaps::incrementAndGet);
        PgCluster.waitFor(() -> node.adapter().linked(), "linked");

        refuse.set(true);
        PgCluster.terminate(application);
        PgCluster.waitFor(() -> {
            node.io().emit("tick");
            return counts.errors.get() >= 3;
        }, "publishes failing");
        refuse.set(false);
        int before = counts.published.get();
        // Emitting every 20 ms all along: far more often than once a second.
        PgCluster.waitFor(() -> {
            node.io().emit("tick");
            return counts.published.get() > before && gaps.get() == 1;
        }, "publishing again, and the gap announced, while messages keep coming");
    }

    /** Attachments are deleted once older than the cleanup interval, so the table does not grow without bound. */
    @Test
    void oldAttachmentsAreCleanedUp() throws Exception {
        PgCluster.Node node = cluster.javaNode("java", cluster.options(cluster.prefix + "-cleanup")
                .withCleanupInterval(Duration.ofSeconds(1)));
        PgCluster.waitFor(() -> node.adapter().linked(), "the adapter linked");
        long before = maxAttachmentId();
        node.io().emit("bin", (Object) new byte[] {1, 2, 3});
        PgCluster.waitFor(() -> maxAttachmentId() > before, "the attachment stored");
        long id = maxAttachmentId();
        PgCluster.waitFor(() -> !attachmentExists(id), "the attachment deleted after a second or two");
    }

    private static long maxAttachmentId() throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(PgCluster.JDBC, "postgres", "");
             var r = c.createStatement().executeQuery("SELECT coalesce(max(id), 0) FROM socket_io_attachments")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean attachmentExists(long id) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(PgCluster.JDBC, "postgres", "");
             var s = c.prepareStatement("SELECT 1 FROM socket_io_attachments WHERE id = ?")) {
            s.setLong(1, id);
            try (var r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** An attachment over the receiver's limit is not read (and counted); what follows it still arrives. */
    @Test
    void anAttachmentOverTheLimitIsSkippedAndCounted() throws Exception {
        Counts counts = new Counts();
        PgCluster.Node sender = cluster.javaNode("sender");
        PgCluster.Node receiver = cluster.javaNode("receiver",
                cluster.options(cluster.prefix + "-receiver").withMaxAttachmentBytes(1000), counts);
        awaitServers(2, List.of(sender, receiver), List.of());
        NodeScript onReceiver = cluster.client(receiver.port(), "r", "room");

        sender.io().to("room").emit("big", (Object) new byte[5000]);
        sender.io().to("room").emit("small", (Object) new byte[10]);
        received(onReceiver, "small");
        assertFalse(hasReceived(onReceiver, "big"));
        assertEquals(1, counts.errors.get());
    }
}
