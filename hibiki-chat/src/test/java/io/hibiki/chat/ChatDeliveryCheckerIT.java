package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.NodeScript;
import io.hibiki.testsupport.PrivateRedis;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery checker: about 30 official clients on two chat instances sharing PostgreSQL, linked by Redis or by
 * PostgreSQL alone, keep the client side of the guarantee (chat-checker.mjs) while they join rooms, open direct
 * conversations with people who may be offline, send faster than the rate limit, drop their connections and
 * reload; meanwhile this test cuts the link between the instances (restarts Redis; with {@code CLUSTER=postgres},
 * cuts the cluster connections and refuses new ones for a while) and kills one instance with SIGKILL and starts it
 * again. At the end: every acknowledged message is stored once under its id, every member of its room has it exactly once, no membership was lost, nothing
 * refused was stored, and the live path (with resync and gap detection) had already delivered everything before
 * the final catch-up. Bounded: about two minutes per link. {@code -Dchecker.rounds=N} runs N fault rounds instead of one
 * (a longer run), {@code -Dchecker.seed=S} replays a run.
 */
class ChatDeliveryCheckerIT {

    private static final Logger log = LoggerFactory.getLogger(ChatDeliveryCheckerIT.class);
    private static final String DATABASE = "hibiki_chat_checker";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 30;
    /** Acknowledged messages between two faults. */
    private static final int WORK = 300;

    @ParameterizedTest
    @EnumSource(ClusterKind.class)
    void everyAcknowledgedMessageReachesEveryMemberAcrossFaults(ClusterKind cluster) throws Exception {
        long seed = Long.getLong("checker.seed", System.nanoTime() % 1_000_000);
        int rounds = Integer.getInteger("checker.rounds", 1);
        log.info("checker seed {} ({} fault rounds)", seed, rounds);
        String databaseUrl = TestDatabases.fresh(DATABASE);
        Path dir = Files.createDirectories(Path.of("target", "checker", cluster.name().toLowerCase(Locale.ROOT))
                .toAbsolutePath());
        for (String old : List.of("reports.json", "instance-a.log", "instance-b.log")) {
            Files.deleteIfExists(dir.resolve(old));
        }
        Map<String, Object> identities = new LinkedHashMap<>();
        for (int i = 0; i < USERS; i++) {
            String name = String.format("u%02d", i);
            Map<String, Object> auth = ChatClients.user(name);
            identities.put(name, Map.of("userId", auth.get("userId"), "userToken", auth.get("userToken")));
        }
        try (PrivateRedis redis = cluster == ClusterKind.REDIS ? PrivateRedis.start() : null) {
            Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", databaseUrl,
                    "CHAT_SECRET", ChatClients.SECRET, "DATA_DIR", dir.toString(),
                    "EVENTS_PER_SECOND", "10", "EVENT_BURST", "30", "MAX_CONNECTIONS_PER_IP", "0",
                    "HANDSHAKES_PER_SECOND_PER_IP", "0", "NEW_USERS_PER_HOUR_PER_IP", "0",
                    "NEW_CONVERSATIONS_PER_HOUR_PER_IP", "0"));
            if (redis != null) {
                env.put("REDIS_URL", redis.url());
            } else {
                env.put("CLUSTER", "postgres");
            }
            try (ChatProcess a = ChatProcess.start("instance-a", freePort(), env, dir);
                 ChatProcess b = ChatProcess.start("instance-b", freePort(), env, dir);
                 NodeScript checker = NodeScript.start("chat-checker.mjs", "--urls=" + a.url() + "," + b.url(),
                         "--identities=" + JSON.writeValueAsString(identities), "--seed=" + seed,
                         "--out=" + dir.resolve("reports.json"),
                         "--limit=" + Duration.ofMinutes(4).toMillis())) {
                Duration wait = Duration.ofSeconds(90);
                checker.await("started", wait);
                int acked = 0;
                for (int round = 0; round < rounds; round++) {
                    acked = awaitAcked(checker, acked + WORK, wait);
                    if (redis != null) {
                        redis.kill();
                    } else {
                        postgresLink(false);
                    }
                    // An outage of about four seconds; sends go on, stored and acknowledged by each instance.
                    acked = awaitAcked(checker, acked + 20, wait);
                    Thread.sleep(3000);
                    if (redis != null) {
                        redis.boot();
                    } else {
                        postgresLink(true);
                    }
                    acked = awaitAcked(checker, acked + WORK, wait);
                    b.kill();
                    Thread.sleep(2000);
                    b.boot();
                    acked = awaitAcked(checker, acked + WORK, wait);
                }
                checker.send("{\"op\":\"settle\"}");
                checker.await("settled", Duration.ofSeconds(120));
                List<JsonNode> reports = new ArrayList<>();
                JSON.readTree(dir.resolve("reports.json").toFile()).forEach(reports::add);
                assertEquals(USERS, reports.size());
                check(reports, checker.events());
            }
        }
    }

    /**
     * With {@code CLUSTER=postgres}: cuts the instances' cluster connections and lets the database take no new ones
     * ({@code false}; the chat's pooled connections stay open, so messages are still stored), or takes them again.
     */
    private static void postgresLink(boolean up) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS " + up);
            if (!up) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE
                        + "' AND application_name = 'hibiki-chat-cluster'");
            }
        }
    }

    private static int awaitAcked(NodeScript checker, int atLeast, Duration wait) {
        JsonNode p = checker.await(e -> e.path("event").asText().equals("progress")
                && e.path("acked").asInt() >= atLeast, wait);
        return p.path("acked").asInt();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The store's view: every message (room, clientId → id) and every membership. */
    private void check(List<JsonNode> reports, List<JsonNode> events) throws Exception {
        Map<String, Set<Long>> idsByRoom = new HashMap<>();
        Map<String, Long> idByClientId = new HashMap<>();
        Map<String, Set<String>> memberships = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres",
                "")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT room, client_id, id FROM messages");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    idsByRoom.computeIfAbsent(rs.getString(1), r -> new TreeSet<>()).add(rs.getLong(3));
                    if (rs.getString(2) != null) {
                        Long before = idByClientId.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                        assertTrue(before == null, "one row per (room, clientId)");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, room FROM memberships");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    memberships.computeIfAbsent(rs.getString(1), u -> new HashSet<>()).add(rs.getString(2));
                }
            }
        }
        int ackedTotal = 0;
        int resyncs = 0;
        List<String> problems = new ArrayList<>();
        for (JsonNode r : reports) {
            String user = r.path("user").asText();
            // Every acknowledged message is stored under the id its ack gave, and each user's messages are stored
            // in the order the user typed them (the clientId counts up).
            Map<String, Long> lastIdInRoom = new HashMap<>();
            Map<String, Integer> lastNumberInRoom = new HashMap<>();
            for (JsonNode a : r.path("acked")) {
                ackedTotal++;
                String room = a.path("room").asText();
                String clientId = a.path("clientId").asText();
                Long stored = idByClientId.get(room + "/" + clientId);
                if (stored == null || stored != a.path("id").asLong()) {
                    problems.add(user + ": acknowledged " + clientId + " as " + a.path("id") + ", stored as " + stored);
                }
                int number = Integer.parseInt(clientId.substring(clientId.lastIndexOf('-') + 1));
                if (lastIdInRoom.containsKey(room) && (a.path("id").asLong() < lastIdInRoom.get(room)
                        || number < lastNumberInRoom.get(room))) {
                    problems.add(user + ": " + clientId + " in " + room + " stored out of typed order");
                }
                lastIdInRoom.put(room, a.path("id").asLong());
                lastNumberInRoom.put(room, number);
            }
            for (JsonNode f : r.path("refused")) {
                if (idByClientId.containsKey(f.path("room").asText() + "/" + f.path("clientId").asText())) {
                    problems.add(user + ": refused " + f + " but stored");
                }
            }
            // No membership lost: every room a join or direct was acknowledged for is in the store and on screen.
            Set<String> onScreen = new HashSet<>();
            r.path("rooms").fieldNames().forEachRemaining(onScreen::add);
            Set<String> stored = memberships.getOrDefault(r.path("userId").asText(), Set.of());
            for (JsonNode room : r.path("expectedRooms")) {
                if (!stored.contains(room.asText()) && !room.asText().equals("general")) {
                    problems.add(user + ": membership of " + room.asText() + " lost in the store");
                }
                if (!onScreen.contains(room.asText())) {
                    problems.add(user + ": " + room.asText() + " missing from the client's rooms");
                }
            }
            // Every member has every message of each of its rooms, exactly once (the report lists ids seen).
            for (String room : onScreen) {
                Set<Long> seen = new TreeSet<>();
                List<Long> listed = new ArrayList<>();
                r.path("rooms").path(room).forEach(id -> listed.add(id.asLong()));
                seen.addAll(listed);
                Set<Long> expected = idsByRoom.getOrDefault(room, Set.of());
                if (!seen.equals(expected)) {
                    Set<Long> missing = new TreeSet<>(expected);
                    missing.removeAll(seen);
                    Set<Long> extra = new TreeSet<>(seen);
                    extra.removeAll(expected);
                    problems.add(user + " in " + room + ": missing " + missing + ", not in the store " + extra);
                }
            }
            if (r.path("duplicates").asInt() != 0) {
                problems.add(user + ": " + r.path("duplicates") + " messages delivered twice on one connection");
            }
            if (r.path("missedUntilEnd").asInt() != 0) {
                problems.add(user + ": " + r.path("missedUntilEnd")
                        + " messages reached it only through the final catch-up (live delivery and healing missed them)");
            }
            resyncs += r.path("resyncs").asInt();
        }
        long reloads = events.stream().filter(e -> e.path("event").asText().equals("fault")
                && e.path("kind").asText().equals("reload")).count();
        log.info("checker: {} acknowledged messages, {} resyncs, {} reloads, {} problems", ackedTotal, resyncs,
                reloads, problems.size());
        assertEquals(List.of(), problems.subList(0, Math.min(40, problems.size())), problems.size() + " problems");
        assertTrue(ackedTotal >= 3 * WORK, "work was done: " + ackedTotal);
        assertTrue(resyncs > 0, "the link outage made the instances ask their clients to re-sync");
        assertTrue(reloads > 0, "clients reloaded");
    }
}
