package io.hibiki.bench.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.Args;
import io.hibiki.bench.load.Latencies;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Well-behaved users chat while attackers do what issue 13 found (D1–D8) against the chat with its shipped limits:
 * a quiet phase, then the same load with the attacks running. Reports, per phase, the well-behaved users' ack
 * latency, refusals and lost deliveries, and the chat's resident memory. Three processes on loopback: the chat,
 * started by its distribution's launcher; the users (this process), from 127.0.0.10–13 (50 each, within the
 * per-address limit); the attackers (a process of their own), the HTTP attacks from 127.0.0.2, those with chat
 * connections from 127.0.0.3.
 * Usage: {@code java -jar hibiki-bench.jar hostile [--seconds=20] [--clients=200] [--rooms=10]
 * [--attacks=d1,d4,d5,d6,events] [--launcher=hibiki-chat/target/hibiki-chat-dist/hibiki-chat/bin/hibiki-chat]}
 * (the default runs all attacks at once).
 */
public final class HostileChat {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the HTTP-level attacks come from. */
    private static final String ATTACKER = "127.0.0.2";
    /** Where the event-level attackers (with chat connections) come from: another host than the HTTP flood's. */
    private static final String BOTS = "127.0.0.3";

    private HostileChat() {
    }

    /** One phase's figures for the well-behaved users. */
    private static final class Phase {
        final Latencies acks = new Latencies(1 << 20);
        final AtomicLong acked = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong expectedDeliveries = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        volatile boolean open = true;

        synchronized void ack(long nanos, boolean ok) {
            if (ok) {
                acked.incrementAndGet();
                acks.add(nanos);
            } else {
                refused.incrementAndGet();
            }
        }

        synchronized Map<String, Object> report(long chatRssMb) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("acked", acked.get());
            r.put("refused", refused.get());
            r.put("ack_p50_ms", Math.round(acks.percentileMillis(50) * 100) / 100.0);
            r.put("ack_p99_ms", Math.round(acks.percentileMillis(99) * 100) / 100.0);
            r.put("deliveries_expected", expectedDeliveries.get());
            r.put("deliveries_lost", expectedDeliveries.get() - delivered.get());
            r.put("chat_rss_mb", chatRssMb);
            return r;
        }
    }

    private static volatile Phase phase;

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        if (a.has("attack")) {
            attack(a);
            return;
        }
        int seconds = a.getInt("seconds", 20);
        int clients = a.getInt("clients", 200);
        int rooms = a.getInt("rooms", 10);
        Path launcher = Path.of(a.get("launcher", "hibiki-chat/target/hibiki-chat-dist/hibiki-chat/bin/hibiki-chat"))
                .toAbsolutePath();
        Path data = Files.createTempDirectory("hibiki-hostile");
        // A 10 MB file to download (D1), in the store under a generated-style name.
        Path uploads = Files.createDirectories(data.resolve("uploads"));
        byte[] pdf = new byte[10 * 1024 * 1024];
        System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 9);
        Files.write(uploads.resolve("HostileBenchFile0001.pdf"), pdf);
        // The chat as users run it: its distribution's launcher, in a process of its own, with the shipped limits.
        ChatProcess chat = ChatProcess.start(launcher, Map.of("HOST", "127.0.0.1", "PORT", "0",
                "DATA_DIR", data.toString(), "HTTP_BODY_TIMEOUT_MS", "30000"));
        int port = chat.port();
        try (LoadGenerator gen = new LoadGenerator(1)) {
            Map<SioClient, Map<Long, Long>> sent = new ConcurrentHashMap<>();
            Map<SioClient, Integer> roomOf = new ConcurrentHashMap<>();
            int perRoom = clients / rooms;
            CountDownLatch joined = new CountDownLatch(clients);
            SioClient.Listener listener = new SioClient.Listener() {
                @Override
                public void onEvent(SioClient c, ByteBuf frame) {
                    Phase p = phase;
                    if (p != null && frame.toString(StandardCharsets.UTF_8).startsWith("42[\"receive-message\"")) {
                        p.delivered.incrementAndGet();
                    }
                }

                @Override
                public void onAck(SioClient c, long id, ByteBuf frame) {
                    if (id == 1) {
                        joined.countDown();
                        return;
                    }
                    Long at = sent.get(c).remove(id);
                    Phase p = phase;
                    if (at != null && p != null) {
                        boolean ok = frame.toString(StandardCharsets.UTF_8).contains("\"ok\":true");
                        p.ack(System.nanoTime() - at, ok);
                        if (ok) {
                            p.expectedDeliveries.addAndGet(perRoom);
                        }
                    }
                }
            };
            List<SioClient> users = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("127.0.0." + (10 + i % 4)), 0);
                SioClient c = gen.connect("127.0.0.1", port, false, listener, from).get(30, TimeUnit.SECONDS);
                sent.put(c, new ConcurrentHashMap<>());
                roomOf.put(c, i % rooms);
                users.add(c);
                c.send("421[\"join-room\",\"hostile-" + (i % rooms) + "\"]");
                if (i % 40 == 39) {
                    Thread.sleep(1000); // within the per-address handshake rate (20/s, bursts of 200)
                }
            }
            if (!joined.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(joined.getCount() + " users did not join");
            }
            String victimId = sessionUserId(gen, port);
            JsonNode uploader = session(gen, port);

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("clients", clients);
            out.put("rooms", rooms);
            out.put("seconds_per_phase", seconds);
            out.put("quiet", run(users, sent, roomOf, seconds, chat.pid()));
            // The attackers in a process of their own, as they would be on other machines: their allocations and
            // threads are not the users' (the two cores are still shared).
            Process attackers = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-cp", io.hibiki.bench.OwnClassPath.absolute(), HostileChat.class.getName(),
                    "--attack", "--port=" + port, "--victim=" + victimId, "--uploader=" + uploader,
                    "--seconds=" + (seconds + 2), "--attacks=" + a.get("attacks", "d1,d4,d5,d6,events"),
                    "--bots-reconnect=" + a.get("bots-reconnect", "true"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                out.put("under_attack", run(users, sent, roomOf, seconds, chat.pid()));
                if (!attackers.waitFor(90, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the attackers did not finish");
                }
                String report = new String(attackers.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                out.put("attacks", JSON.readTree(report.substring(report.lastIndexOf('\n') + 1)));
            } finally {
                attackers.destroyForcibly();
            }
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            LoadGenerator.closeAll(users);
        } finally {
            chat.close();
        }
        System.exit(0);
    }

    /** The attackers' process: runs the chosen attacks until their end, then prints what they got as one line. */
    private static void attack(Args a) throws Exception {
        int port = a.getInt("port", 0);
        String victimId = a.get("victim", null);
        JsonNode uploader = JSON.readTree(a.get("uploader", "{}"));
        long attackEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(a.getInt("seconds", 22));
        ExecutorService attackers = Executors.newCachedThreadPool();
        Map<String, AtomicLong> attackCounts = new ConcurrentHashMap<>();
        List<AutoCloseable> held = java.util.Collections.synchronizedList(new ArrayList<>());
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        java.util.Set<String> chosen = java.util.Set.of(a.get("attacks", "d1,d4,d5,d6,events").split(","));
        try {
            if (chosen.contains("d1")) {
                running.add(attackers.submit(() -> downloads(port, held, attackCounts)));
            }
            if (chosen.contains("d4")) {
                running.add(attackers.submit(() -> partialHeaders(port, held, attackCounts)));
                running.add(attackers.submit(() -> stalledUploads(uploader, port, held, attackCounts)));
            }
            if (chosen.contains("d6")) {
                running.add(attackers.submit(() -> handshakeFlood(port, attackEnd, attackCounts)));
            }
            if (chosen.contains("d5")) {
                running.add(attackers.submit(() -> anonymousUploads(port, attackEnd, attackCounts)));
            }
            if (chosen.contains("events")) {
                running.add(attackers.submit(() -> {
                    try (LoadGenerator botLoop = new LoadGenerator(1)) {
                        return eventFloods(botLoop, port, victimId, attackEnd, attackCounts,
                                !a.get("bots-reconnect", "true").equals("false"));
                    }
                }));
            }
            for (var f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            // The held connections (D1, D4) stay until the attack's end.
            long left = attackEnd - System.nanoTime();
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
            }
            for (AutoCloseable c : held) {
                c.close();
            }
        } finally {
            attackers.shutdownNow();
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        attackCounts.forEach((k, v) -> counts.put(k, v.get()));
        System.out.println(JSON.writeValueAsString(counts));
        System.out.flush();
        System.exit(0);
    }

    /** One phase: every user sends one acked message a second into its room; then the last deliveries settle. */
    private static Map<String, Object> run(List<SioClient> users, Map<SioClient, Map<Long, Long>> sent,
                                           Map<SioClient, Integer> roomOf, int seconds, long chatPid)
            throws Exception {
        Phase p = new Phase();
        phase = p;
        AtomicLong ids = new AtomicLong(1_000_000L * (System.nanoTime() % 1000 + 2));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int tick = 0;
        while (System.nanoTime() < end) {
            // A tenth of the users each 100 ms: everyone sends once a second, spread out.
            for (int i = tick % 10; i < users.size(); i += 10) {
                SioClient c = users.get(i);
                if (!c.isOpen()) {
                    continue;
                }
                long id = ids.incrementAndGet();
                sent.get(c).put(id, System.nanoTime());
                c.send("42" + id + "[\"send-message-to-room\",{\"room\":\"hostile-" + roomOf.get(c)
                        + "\",\"message\":\"hello " + id + "\",\"clientId\":\"h" + id + "\"}]");
            }
            tick++;
            Thread.sleep(100);
        }
        Thread.sleep(3000); // the last answers and deliveries (bounded: the report counts what arrived)
        Map<String, Object> r = p.report(io.hibiki.bench.load.ProcessStats.rssBytes(chatPid) / (1024 * 1024));
        r.put("users_connected", users.stream().filter(SioClient::isOpen).count());
        return r;
    }

    private static Socket from(int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static void count(Map<String, AtomicLong> counts, String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** D1: three connections pipeline 30 downloads of the 10 MB file each and never read. */
    private static Void downloads(int port, List<AutoCloseable> held, Map<String, AtomicLong> counts)
            throws IOException {
        String get = "GET /uploads/HostileBenchFile0001.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        for (int i = 0; i < 3; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.bind(new InetSocketAddress(InetAddress.getByName(ATTACKER), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.getOutputStream().write(get.repeat(30).getBytes(StandardCharsets.US_ASCII));
            synchronized (held) {
                held.add(s);
            }
            count(counts, "D1 pipelined downloads never read (connections)");
        }
        return null;
    }

    /** D4: 100 connections send half a header block and wait. */
    private static Void partialHeaders(int port, List<AutoCloseable> held, Map<String, AtomicLong> counts)
            throws IOException {
        for (int i = 0; i < 100; i++) {
            Socket s = from(port);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            synchronized (held) {
                held.add(s);
            }
            count(counts, "D4 partial headers (connections)");
        }
        return null;
    }

    /** D4: ten uploads of 5 MB stop one byte short, with an identity the attacker got from its own session. */
    private static Void stalledUploads(JsonNode session, int port, List<AutoCloseable> held,
                                       Map<String, AtomicLong> counts) throws Exception {
        int length = 5 * 1024 * 1024;
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 10; i++) {
            Socket s = from(port);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nX-Chat-User: "
                    + session.path("userId").asText() + "\r\nX-Chat-Token: " + session.path("userToken").asText()
                    + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int sentBytes = 0; sentBytes < length - 1; sentBytes += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, length - 1 - sentBytes));
            }
            synchronized (held) {
                held.add(s);
            }
            count(counts, "D4 uploads stalled one byte short (connections)");
        }
        return null;
    }

    /** D6: polling handshakes as fast as one thread can, from one address. */
    private static Void handshakeFlood(int port, long end, Map<String, AtomicLong> counts) {
        for (int i = 0; i < 20_000 && System.nanoTime() < end; i++) {
            try (Socket s = from(port)) {
                s.getOutputStream().write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                count(counts, "D6 handshakes answered " + (status.length() == 12 ? status.substring(9) : "?"));
            } catch (IOException e) {
                count(counts, "D6 handshakes failed");
            }
        }
        return null;
    }

    /** D5: uploads without an identity, in a loop. */
    private static Void anonymousUploads(int port, long end, Map<String, AtomicLong> counts) {
        byte[] body = new byte[256 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        for (int i = 0; i < 2_000 && System.nanoTime() < end; i++) {
            try (Socket s = from(port)) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                count(counts, "D5 anonymous uploads answered " + (status.length() == 12 ? status.substring(9) : "?"));
            } catch (IOException e) {
                count(counts, "D5 anonymous uploads failed");
            }
        }
        return null;
    }

    /**
     * D2, D3, D7, D8 through the chat's own events: repeated joins of a busy room, conversations pushed onto a
     * user, rooms named like sockets, departures from rooms never joined; each attacker at full speed, and back
     * at once when the server disconnects it.
     */
    private static Void eventFloods(LoadGenerator gen, int port, String victim, long end,
                                    Map<String, AtomicLong> counts, boolean reconnect) throws Exception {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName(BOTS), 0);
        SioClient.Listener answers = new SioClient.Listener() {
            @Override
            public void onAck(SioClient c, long id, ByteBuf frame) {
                String f = frame.toString(StandardCharsets.UTF_8);
                count(counts, "events answered " + (f.contains("\"ok\":true") ? "ok"
                        : f.replaceAll(".*\"error\":\"([a-z_]+)\".*", "$1")));
            }
        };
        List<SioClient> bots = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try {
                bots.add(gen.connect("127.0.0.1", port, false, answers, from).get(30, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                count(counts, "bot connections refused");
            }
        }
        long id = 10;
        while (System.nanoTime() < end) {
            for (int b = 0; b < bots.size(); b++) {
                SioClient bot = bots.get(b);
                if (!bot.isOpen() && !reconnect) {
                    continue;
                }
                if (!bot.isOpen()) {
                    // A determined attacker comes back when it is disconnected, as fast as the server lets it.
                    try {
                        bot = gen.connect("127.0.0.1", port, false, answers, from).get(5, TimeUnit.SECONDS);
                        bots.set(b, bot);
                        count(counts, "bot reconnections");
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        count(counts, "bot reconnections refused");
                        continue;
                    }
                }
                bot.send("42" + (id++) + "[\"join-room\",\"hostile-0\"]");
                bot.send("42" + (id++) + "[\"direct\",{\"userId\":\"" + victim + "\"}]");
                bot.send("42" + (id++) + "[\"join-room\",\"AbCdEfGhIjKlMnOpQrSt\"]");
                bot.send("42" + (id++) + "[\"leave-room\",\"hostile-1\"]");
                count(counts, "D2/D3/D7/D8 events sent");
            }
            Thread.sleep(20);
        }
        LoadGenerator.closeAll(bots);
        return null;
    }

    /** A fresh connection's {@code session} (its user id and token), read from the attacker's address. */
    private static JsonNode session(LoadGenerator gen, int port) throws Exception {
        java.util.concurrent.CompletableFuture<JsonNode> session = new java.util.concurrent.CompletableFuture<>();
        SioClient c = gen.connect("127.0.0.1", port, false, new SioClient.Listener() {
            @Override
            public void onEvent(SioClient client, ByteBuf frame) {
                String f = frame.toString(StandardCharsets.UTF_8);
                if (f.startsWith("42[\"session\",")) {
                    try {
                        session.complete(JSON.readTree(f.substring(2)).get(1));
                    } catch (IOException e) {
                        session.completeExceptionally(e);
                    }
                }
            }
        }, new InetSocketAddress(InetAddress.getByName(BOTS), 0)).get(30, TimeUnit.SECONDS);
        JsonNode s = session.get(30, TimeUnit.SECONDS);
        c.channel().close();
        return s;
    }

    private static String sessionUserId(LoadGenerator gen, int port) throws Exception {
        return session(gen, port).path("userId").asText();
    }
}
