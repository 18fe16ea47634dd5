package io.hibiki.bench.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.Args;
import io.hibiki.bench.load.Latencies;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.hibiki.chat.ChatConfig;
import io.hibiki.chat.ChatServer;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat's own throughput: acknowledged (stored) messages per second and the sender's ack latency, with
 * {@code --users} connected in {@code --rooms} rooms (each message reaches every member of its room), of which
 * {@code --senders} send in a closed loop with {@code --window} sends outstanding each. One or two chat instances
 * in this JVM ({@code --instances}; two share PostgreSQL and the local Redis), embedded H2 or PostgreSQL
 * ({@code --db=h2|postgres}). The rate limit is lifted: this measures the server, not the limit.
 * Prints one JSON object. Usage: {@code java -jar hibiki-bench.jar chat-throughput --db=h2 --instances=1}.
 */
public final class ChatThroughput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "hibiki_bench_chat";

    private ChatThroughput() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        int users = a.getInt("users", 1000);
        int rooms = a.getInt("rooms", 50);
        int senders = a.getInt("senders", 100);
        int window = a.getInt("window", 2);
        int seconds = a.getInt("seconds", 20);
        int warmup = a.getInt("warmup", 10);
        int instances = a.getInt("instances", 1);
        String db = a.get("db", "h2");
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT", "0",
                "EVENTS_PER_SECOND", "1000000", "EVENT_BURST", "1000000", "EVENT_QUEUE", "1000",
                "CHAT_SECRET", "bench", "MAX_CONNECTIONS_PER_IP", "0", "HANDSHAKES_PER_SECOND_PER_IP", "0",
                "NEW_USERS_PER_HOUR_PER_IP", "0", "NEW_CONVERSATIONS_PER_HOUR_PER_IP", "0"));
        if (db.equals("postgres")) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
                    ""); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
                st.execute("CREATE DATABASE " + DATABASE);
            }
            env.put("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/" + DATABASE);
        } else if (instances > 1) {
            throw new IllegalArgumentException("two instances share a database: use --db=postgres");
        }
        if (instances > 1) {
            env.put("REDIS_URL", a.get("redis", "redis://127.0.0.1:6379"));
        }
        List<ChatServer> servers = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try (LoadGenerator gen = new LoadGenerator(1)) {
            for (int i = 0; i < instances; i++) {
                Map<String, String> own = new HashMap<>(env);
                own.put("DATA_DIR", Files.createTempDirectory("hibiki-chat-bench").toString());
                ChatServer s = new ChatServer(ChatConfig.from(own));
                servers.add(s);
                ports.add(s.start());
            }
            AtomicLong delivered = new AtomicLong();
            CountDownLatch joined = new CountDownLatch(users);
            Map<SioClient, Sender> sending = new ConcurrentHashMap<>();
            SioClient.Listener listener = new SioClient.Listener() {
                @Override
                public void onEvent(SioClient c, ByteBuf frame) {
                    if (frame.toString(StandardCharsets.UTF_8).startsWith("42[\"receive-message\"")) {
                        delivered.incrementAndGet();
                    }
                }

                @Override
                public void onAck(SioClient c, long id, ByteBuf frame) {
                    if (id == 1) {
                        joined.countDown();
                        return;
                    }
                    Sender s = sending.get(c);
                    if (s != null) {
                        s.acked(id, frame);
                    }
                }
            };
            List<SioClient> clients = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                SioClient c = gen.connect("127.0.0.1", ports.get(i % instances), false, listener)
                        .get(30, TimeUnit.SECONDS);
                clients.add(c);
                c.send("421[\"join-room\",\"bench-" + (i % rooms) + "\"]");
            }
            if (!joined.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(joined.getCount() + " users did not join");
            }
            Measure measure = new Measure();
            for (int i = 0; i < senders; i++) {
                // Users 0, 1, 2 … send: spread over every room, as user i is in room i % rooms.
                SioClient c = clients.get(i);
                Sender s = new Sender(c, "s" + i, "bench-" + (i % rooms), window, measure);
                sending.put(c, s);
                c.channel().eventLoop().execute(s::start);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            long deliveredAt = delivered.get();
            measure.begin();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            Map<String, Object> r = measure.end();
            long deliveries = delivered.get() - deliveredAt;
            sending.values().forEach(Sender::stop);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("db", db);
            out.put("instances", instances);
            out.put("users", users);
            out.put("rooms", rooms);
            out.put("senders", senders);
            out.put("window", window);
            out.put("seconds", seconds);
            out.putAll(r);
            double perSecond = ((Number) r.get("acked")).doubleValue() / seconds;
            out.put("acked_per_s", Math.round(perSecond));
            out.put("acked_per_s_per_instance", Math.round(perSecond / instances));
            out.put("deliveries_per_s", Math.round((double) deliveries / seconds));
            out.put("clients_open_at_end", clients.stream().filter(SioClient::isOpen).count());
            System.out.println(JSON.writeValueAsString(out));
            LoadGenerator.closeAll(clients);
        } finally {
            servers.forEach(ChatServer::close);
        }
        System.exit(0);
    }

    /** Acks and their latencies inside the measured window, from every sender's event loop. */
    static final class Measure {
        private volatile boolean on;
        private final AtomicLong acked = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final Latencies latencies = new Latencies(1 << 20);

        void begin() {
            on = true;
        }

        synchronized void ack(long nanos, boolean ok) {
            if (!on) {
                return;
            }
            if (ok) {
                acked.incrementAndGet();
                latencies.add(nanos);
            } else {
                refused.incrementAndGet();
            }
        }

        synchronized Map<String, Object> end() {
            on = false;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("acked", acked.get());
            r.put("refused", refused.get());
            r.put("ack_p50_ms", round(latencies.percentileMillis(50)));
            r.put("ack_p99_ms", round(latencies.percentileMillis(99)));
            r.put("ack_max_ms", round(latencies.percentileMillis(100)));
            return r;
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }

    /** One sending user: {@code window} sends outstanding, the next one sent as each is answered. */
    static final class Sender {
        private final SioClient client;
        /** Makes this sender's clientIds its own: the chat answers a repeated (room, clientId) as a retry. */
        private final String name;
        private final String room;
        private final int window;
        private final Measure measure;
        private final Map<Long, Long> sentAt = new HashMap<>();
        private long next = 2;
        private volatile boolean stopped;

        Sender(SioClient client, String name, String room, int window, Measure measure) {
            this.client = client;
            this.name = name;
            this.room = room;
            this.window = window;
            this.measure = measure;
        }

        void start() {
            for (int i = 0; i < window; i++) {
                send();
            }
        }

        void stop() {
            stopped = true;
        }

        private void send() {
            if (stopped || !client.isOpen()) {
                return;
            }
            long id = next++;
            sentAt.put(id, System.nanoTime());
            client.send("42" + id + "[\"send-message-to-room\",{\"room\":\"" + room + "\",\"message\":\"bench " + id
                    + "\",\"clientId\":\"" + name + "-" + id + "\"}]");
        }

        /** On the client's event loop, like {@link #start}. */
        void acked(long id, ByteBuf frame) {
            Long at = sentAt.remove(id);
            if (at == null) {
                return;
            }
            measure.ack(System.nanoTime() - at, frame.toString(StandardCharsets.UTF_8).contains("\"ok\":true"));
            send();
        }
    }
}
