package io.hibiki.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.bench.load.LoadGenerator;
import io.hibiki.bench.load.SioClient;
import io.hibiki.chat.ChatConfig;
import io.hibiki.chat.ChatServer;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded mixed workload against the chat app in this JVM: clients join and leave rooms, send acknowledged
 * messages, upload files and reconnect, for a fixed time. Heap (after GC) and open file descriptors are sampled
 * every 10 s; at the end every acknowledged message id must be in the database.
 * Usage: {@code java -jar hibiki-bench.jar soak [--seconds=300] [--clients=200]}.
 */
public final class ChatSoak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ID_KEY = "\"id\":".getBytes(StandardCharsets.US_ASCII);

    private ChatSoak() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, "seconds", 300);
        int clients = intArg(args, "clients", 200);
        Path data = Files.createTempDirectory("hibiki-soak");
        Map<String, String> env = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT", "0", "DATA_DIR", data.toString(),
                "EVENTS_PER_SECOND", "1000", "EVENT_BURST", "1000", "CHAT_SECRET", "soak",
                "MAX_CONNECTIONS_PER_IP", "0", "HANDSHAKES_PER_SECOND_PER_IP", "0", "UPLOADS_PER_MINUTE", "100000"));
        env.put("NEW_USERS_PER_HOUR_PER_IP", "0");
        env.put("NEW_CONVERSATIONS_PER_HOUR_PER_IP", "0");
        io.hibiki.chat.UserTokens tokens = new io.hibiki.chat.UserTokens(
                "soak".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<Long, Boolean> acked = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong reconnects = new AtomicLong();
        AtomicLong uploads = new AtomicLong();
        List<Map<String, Object>> samples = new ArrayList<>();
        try (ChatServer chat = new ChatServer(ChatConfig.from(env)); LoadGenerator gen = new LoadGenerator(1)) {
            int port = chat.start();
            SioClient.Listener listener = new SioClient.Listener() {
                @Override
                public void onAck(SioClient c, long id, ByteBuf frame) {
                    long messageId = SioClient.numberAfter(frame, ID_KEY);
                    if (frame.toString(StandardCharsets.UTF_8).contains("\"ok\":true") && messageId > 0) {
                        acked.put(messageId, Boolean.TRUE);
                    } else if (!frame.toString(StandardCharsets.UTF_8).contains("\"ok\":true")) {
                        errors.incrementAndGet();
                    }
                }
            };
            SioClient[] pool = new SioClient[clients];
            for (int i = 0; i < clients; i++) {
                pool[i] = open(gen, port, listener, i);
            }
            HttpClient http = HttpClient.newHttpClient();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long nextSample = 0;
            long ackIds = 1_000_000;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextSample) {
                    samples.add(sample(samples.size() * 10, chat));
                    nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                }
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int k = 0; k < 50; k++) {
                    int i = r.nextInt(clients);
                    SioClient c = pool[i];
                    int action = r.nextInt(100);
                    if (!c.isOpen() || action < 2) {
                        c.channel().close();
                        pool[i] = open(gen, port, listener, i);
                        reconnects.incrementAndGet();
                    } else if (action < 10) {
                        c.send("42[\"" + (r.nextBoolean() ? "join-room" : "leave-room") + "\",\"soak-"
                                + r.nextInt(20) + "\"]");
                    } else if (action < 12) {
                        byte[] body = new byte[1024 + r.nextInt(4096)];
                        java.util.Arrays.fill(body, (byte) 'a'); // text: the store checks content
                        String uploader = "soak-uploader-" + i;
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + port + "/api/uploads")).header("Content-Type", "text/plain")
                                .header("X-Chat-User", uploader).header("X-Chat-Token", tokens.sign(uploader))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() == 201) {
                            uploads.incrementAndGet();
                        }
                    } else {
                        Map<String, Object> msg = new LinkedHashMap<>();
                        msg.put("room", "soak-home-" + i);
                        msg.put("message", "soak message " + sent.incrementAndGet());
                        c.send("42" + (ackIds++) + "[\"send-message-to-room\"," + JSON.writeValueAsString(msg) + "]");
                    }
                }
                Thread.sleep(20);
            }
            Thread.sleep(3000);
            samples.add(sample(seconds, chat));
            long stored = 0;
            for (int i = 0; i < clients; i++) {
                for (var m : chat.store().history("soak-home-" + i, null, 100_000)) {
                    if (acked.containsKey(m.id())) {
                        stored++;
                    }
                }
            }
            LoadGenerator.closeAll(List.of(pool));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("seconds", seconds);
            result.put("clients", clients);
            result.put("messages_sent", sent.get());
            result.put("messages_acked", acked.size());
            result.put("acked_and_stored", stored);
            result.put("lost_acked", acked.size() - stored);
            result.put("error_acks", errors.get());
            result.put("reconnects", reconnects.get());
            result.put("uploads", uploads.get());
            result.put("samples", samples);
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        System.exit(0);
    }

    private static SioClient open(LoadGenerator gen, int port, SioClient.Listener listener, int i) throws Exception {
        SioClient c = gen.connect("127.0.0.1", port, false, listener).get(20, TimeUnit.SECONDS);
        c.send("42[\"join-room\",\"soak-home-" + i + "\"]");
        return c;
    }

    private static Map<String, Object> sample(int at, ChatServer chat) {
        System.gc();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("t_s", at);
        s.put("heap_mb", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1_000_000);
        String[] fds = new java.io.File("/proc/self/fd").list();
        s.put("open_fds", fds == null ? -1 : fds.length);
        s.put("sessions", chat.io().engine().clientsCount());
        return s;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 3));
            }
        }
        return fallback;
    }
}
