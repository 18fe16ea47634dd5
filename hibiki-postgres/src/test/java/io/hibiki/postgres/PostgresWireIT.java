package io.hibiki.postgres;

import static io.hibiki.postgres.PgCluster.WAIT;
import static io.hibiki.postgres.PgCluster.awaitServers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.NodeScript;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What a Hibiki node puts on the wire is what a Node node puts there for the same call, byte for byte once the
 * node's uid (and an attachment's id) are set aside: read from PostgreSQL itself by a bystander that LISTENs on
 * the namespace's channel and reads the attachments table.
 */
class PostgresWireIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgCluster cluster = new PgCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void javaWritesWhatNodeWrites() throws Exception {
        try (Connection raw = DriverManager.getConnection(PgCluster.JDBC, "postgres", "")) {
            raw.createStatement().execute("LISTEN \"" + cluster.prefix + "#/\"");
            PgCluster.Node java = cluster.javaNode("java");
            NodeScript node = cluster.nodeNode();
            awaitServers(2, List.of(java), List.of(node));
            String javaUid = java.adapter().uid();
            List<String> seen = new ArrayList<>();

            // A heartbeat: Node answers Java's periodic announcement with one, Java sends its own.
            String nodeHeartbeat = next(raw, seen, p -> p.contains("\"type\":2,") && !p.contains(javaUid));
            String javaHeartbeat = next(raw, seen, p -> p.contains("\"type\":2,") && p.contains(javaUid));
            assertSame(nodeHeartbeat, javaHeartbeat, javaUid);

            // A broadcast to a room, JSON in the notification.
            node.send("{\"cmd\":\"broadcast\",\"room\":\"w\",\"event\":\"wire\",\"args\":[\"a\",1,{\"k\":[true,null]}],"
                    + "\"binary\":false}");
            String fromNode = next(raw, seen, p -> p.contains("\"wire\"") && !p.contains(javaUid));
            java.io().to("w").emit("wire", "a", 1, JSON.readTree("{\"k\":[true,null]}"));
            String fromJava = next(raw, seen, p -> p.contains("\"wire\"") && p.contains(javaUid));
            assertSame(fromNode, fromJava, javaUid);

            // With binary: a header in the notification, MessagePack in the attachments table.
            node.send("{\"cmd\":\"broadcast\",\"room\":\"w\",\"event\":\"wire-bin\",\"args\":[\"a\"]}");
            String nodeHeader = next(raw, seen, p -> p.contains("attachmentId") && !p.contains(javaUid));
            java.io().to("w").emit("wire-bin", "a", new byte[] {7, 8, 9});
            String javaHeader = next(raw, seen, p -> p.contains("attachmentId") && p.contains(javaUid));
            String nodeUid = JSON.readTree(nodeHeader).get("uid").asText();
            assertEquals(withoutId(nodeHeader).replace(nodeUid, javaUid), withoutId(javaHeader));
            byte[] nodeBody = attachment(raw, JSON.readTree(nodeHeader).get("attachmentId").asText());
            byte[] javaBody = attachment(raw, JSON.readTree(javaHeader).get("attachmentId").asText());
            assertArrayEquals(replace(nodeBody, nodeUid, javaUid), javaBody);

            // A server-side emit without acks.
            node.send("{\"cmd\":\"serverSideEmit\",\"text\":\"x\"}");
            String nodeEmit = next(raw, seen, p -> p.contains("node-says") && !p.contains(javaUid));
            java.io().serverSideEmit("node-says", "x");
            String javaEmit = next(raw, seen, p -> p.contains("node-says") && p.contains(javaUid));
            assertSame(nodeEmit, javaEmit, javaUid);
        }
    }

    private static void assertSame(String fromNode, String fromJava, String javaUid) throws Exception {
        String nodeUid = JSON.readTree(fromNode).get("uid").asText();
        assertEquals(fromNode.replace(nodeUid, javaUid), fromJava);
    }

    private static String withoutId(String header) throws Exception {
        JsonNode h = JSON.readTree(header);
        return header.replace("\"attachmentId\":\"" + h.get("attachmentId").asText() + "\"", "\"attachmentId\":\"?\"");
    }

    /** The next notification matching {@code p} (others are kept in {@code seen} for the failure message). */
    private static String next(Connection raw, List<String> seen, Predicate<String> p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] ns = raw.unwrap(PGConnection.class).getNotifications(100);
            if (ns != null) {
                for (PGNotification n : ns) {
                    seen.add(n.getParameter());
                    if (p.test(n.getParameter())) {
                        return n.getParameter();
                    }
                }
            }
        }
        throw new AssertionError("no matching notification; saw " + seen);
    }

    private static byte[] attachment(Connection raw, String id) throws Exception {
        try (PreparedStatement s = raw.prepareStatement("SELECT payload FROM socket_io_attachments WHERE id = ?")) {
            s.setLong(1, Long.parseLong(id));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBytes(1);
            }
        }
    }

    private static byte[] replace(byte[] body, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        byte[] out = body.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
            }
        }
        return out;
    }
}
