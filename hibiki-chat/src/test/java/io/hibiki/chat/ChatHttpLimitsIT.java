package io.hibiki.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat's own HTTP routes under attack, with the server's memory measured (it runs in this JVM: heap and Netty's
 * direct buffers): pipelined
 * downloads nobody reads, uploads that stop one byte short, connections that never finish their headers, and
 * uploads without an identity or past their rate. Each is bounded: memory stays put, connections are closed,
 * and other clients are served meanwhile.
 */
class ChatHttpLimitsIT {

    private static final int MB = 1024 * 1024;
    /** How much the heap may grow under an attack that used to take hundreds of megabytes. */
    private static final long HEAP_BOUND = 64L * MB;

    /**
     * The heap in use plus the direct memory Netty's allocator holds: request bodies used to sit in pooled direct
     * buffers, outside the heap.
     */
    private static long inUse() {
        long direct = io.netty.buffer.ByteBufAllocator.DEFAULT
                instanceof io.netty.buffer.ByteBufAllocatorMetricProvider p ? p.metric().usedDirectMemory() : 0;
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + direct;
    }

    private static long heapAfterGc() {
        System.gc();
        return inUse();
    }

    /** The most memory seen held (after a GC each time) while sampling for {@code span}. */
    private static long peakHeap(Duration span) throws InterruptedException {
        long peak = 0;
        long end = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < end) {
            // After a GC: what is held, not what is waiting to be collected.
            peak = Math.max(peak, heapAfterGc());
            Thread.sleep(100);
        }
        return Math.max(peak, heapAfterGc());
    }

    private static Socket raw(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void pipelinedDownloadsThatAreNeverReadHoldNoMemory(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir)) {
            String name = "AbCdEfGhIjKlMnOpQrSt.pdf";
            Path uploads = Files.createDirectories(chat.config().uploadDir());
            byte[] pdf = new byte[10 * MB];
            System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 9);
            Files.write(uploads.resolve(name), pdf);
            String get = "GET /uploads/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            long before = heapAfterGc();
            List<Socket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = raw(chat.port(), 4096);
                    s.getOutputStream().write(get.repeat(30).getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    attackers.add(s); // never read
                }
                long peak = peakHeap(Duration.ofSeconds(3));
                assertTrue(peak - before < HEAP_BOUND, "heap grew by " + (peak - before) / MB + " MB");
                // Everyone else is served meanwhile, the same file included.
                HttpResponse<byte[]> file = chat.getBytes("/uploads/" + name);
                assertEquals(200, file.statusCode());
                assertEquals(pdf.length, file.body().length);
            } finally {
                for (Socket s : attackers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void uploadsStoppingShortHoldNoMemoryAndAreClosed(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "HTTP_BODY_TIMEOUT_MS=3000")) {
            String[] id = ChatClients.uploadIdentity("staller");
            int length = 5 * MB;
            long before = heapAfterGc();
            List<Socket> stallers = new ArrayList<>();
            try {
                byte[] almost = new byte[length - 1];
                java.util.Arrays.fill(almost, (byte) 'x');
                for (int i = 0; i < 20; i++) {
                    Socket s = raw(chat.port(), 0);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                            + id[0] + ": " + id[1] + "\r\n" + id[2] + ": " + id[3] + "\r\nContent-Length: " + length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(almost);
                    out.flush();
                    stallers.add(s);
                }
                long peak = peakHeap(Duration.ofSeconds(1));
                assertTrue(peak - before < HEAP_BOUND, "heap grew by " + (peak - before) / MB + " MB for "
                        + stallers.size() * length / MB + " MB of stalled uploads");
                // The stalled bodies are answered 408 and closed once the body timeout passes.
                for (Socket s : stallers) {
                    InputStream in = s.getInputStream();
                    String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                    assertEquals("HTTP/1.1 408", status);
                }
            } finally {
                for (Socket s : stallers) {
                    s.close();
                }
            }
            Path incoming = chat.config().uploadDir().resolve(".incoming");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Stream<Path> files = Files.list(incoming)) {
                    return files.findAny().isEmpty();
                }
            });
        }
    }

    @Test
    void headersThatNeverEndAreCutOff(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "HTTP_HEADERS_TIMEOUT_MS=2000")) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket s = raw(chat.port(), 0);
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"
                            .getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                assertEquals(200, chat.get("/api/socket").statusCode(), "others are served meanwhile");
                for (Socket s : slow) {
                    byte[] answer = s.getInputStream().readAllBytes(); // until the server closes
                    assertTrue(new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 408"));
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void uploadsNeedAChatIdentityAndKeepToTheirRate(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "UPLOADS_PER_MINUTE=3")) {
            byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
            assertEquals(401, chat.post("/api/uploads", text, "Content-Type", "text/plain").statusCode());
            assertEquals(401, chat.post("/api/uploads", text, "Content-Type", "text/plain", "X-Chat-User",
                    ChatClients.userId("mallory"), "X-Chat-Token", "forged").statusCode());
            // Content decides the type: HTML sent as an image is refused.
            String[] other = ChatClients.uploadIdentity("other");
            assertEquals(415, chat.post("/api/uploads", "<html>".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "image/png", other[0], other[1], other[2], other[3]).statusCode());
            String[] id = ChatClients.uploadIdentity("uploader");
            int created = 0;
            int limited = 0;
            for (int i = 0; i < 10; i++) {
                int status = chat.post("/api/uploads", text, "Content-Type", "text/plain", id[0], id[1], id[2], id[3])
                        .statusCode();
                if (status == 201) {
                    created++;
                } else {
                    assertEquals(429, status);
                    limited++;
                }
            }
            // A burst of twice the per-minute rate per address, of which the refused HTML took one.
            assertEquals(5, created);
            assertEquals(5, limited);
        }
    }

    @Test
    void eachUserHasADailyUploadQuotaAndUploadsDeclareTheirLength(@TempDir Path dir) throws Exception {
        try (ChatFixture chat = ChatFixture.start(dir, "UPLOAD_QUOTA_BYTES_PER_DAY=3000")) {
            String[] id = ChatClients.uploadIdentity("quota");
            byte[] kb = new byte[1024];
            java.util.Arrays.fill(kb, (byte) 'q');
            assertEquals(201, chat.post("/api/uploads", kb, "Content-Type", "text/plain", id[0], id[1], id[2], id[3])
                    .statusCode());
            assertEquals(201, chat.post("/api/uploads", kb, "Content-Type", "text/plain", id[0], id[1], id[2], id[3])
                    .statusCode());
            HttpResponse<String> over = chat.post("/api/uploads", kb, "Content-Type", "text/plain", id[0], id[1], id[2],
                    id[3]);
            assertEquals(429, over.statusCode());
            assertTrue(over.body().contains("over_quota"), over.body());
            String[] other = ChatClients.uploadIdentity("someone-else");
            assertEquals(201, chat.post("/api/uploads", kb, "Content-Type", "text/plain", other[0], other[1],
                    other[2], other[3]).statusCode(), "the quota is per user");
            // A body of unknown length (chunked) cannot be weighed against the quota before it arrives.
            try (Socket s = raw(chat.port(), 0)) {
                s.getOutputStream().write(("POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        + other[0] + ": " + other[1] + "\r\n" + other[2] + ": " + other[3]
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertEquals("HTTP/1.1 411", new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
            }
        }
    }
}
