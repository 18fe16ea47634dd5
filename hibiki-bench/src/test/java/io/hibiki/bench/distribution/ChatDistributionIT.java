package io.hibiki.bench.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hibiki.chat.JvmSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat's distribution as the README runs it (built by the chat module's package phase, before this module's
 * tests): {@code bin/hibiki-chat} starts the chat with every option of {@code conf/jvm.options}, says so in its
 * startup line, serves, lets {@code JAVA_OPTS} override, and stops on SIGTERM; the tarball holds the same files
 * with the launcher executable.
 */
class ChatDistributionIT {

    private static final Path DIST = Path.of("..", "hibiki-chat", "target", "hibiki-chat-dist").toAbsolutePath()
            .normalize();
    private static final Path LAUNCHER = DIST.resolve("hibiki-chat/bin/hibiki-chat");
    private static final Pattern LISTENING = Pattern.compile("Hibiki chat on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path data;

    /** A launched chat and the lines it printed. */
    private static final class Launched implements AutoCloseable {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Launched(Map<String, String> env, Path data) throws IOException {
            if (!Files.isExecutable(LAUNCHER)) {
                fail(LAUNCHER + " is missing or not executable: the chat module's package phase builds it");
            }
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).redirectErrorStream(true)
                    .directory(data.toFile());
            pb.environment().putAll(Map.of("HOST", "127.0.0.1", "PORT", "0", "DATA_DIR", data.toString()));
            pb.environment().putAll(env);
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "chat-dist-output");
            reader.setDaemon(true);
            reader.start();
        }

        String line(String containing) throws InterruptedException {
            Awaitility.await().atMost(WAIT).until(() -> find(containing) != null || !process.isAlive());
            if (find(containing) == null) {
                reader.join(TimeUnit.SECONDS.toMillis(10)); // the process ended: its last lines may still be in the pipe
            }
            String found = find(containing);
            if (found == null) {
                throw new AssertionError("no line with \"" + containing + "\"; output:\n" + String.join("\n", lines));
            }
            return found;
        }

        private String find(String containing) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.contains(containing)).findFirst().orElse(null);
            }
        }

        int port() throws InterruptedException {
            Matcher m = LISTENING.matcher(line("Hibiki chat on"));
            assertTrue(m.find(), lines.toString());
            return Integer.parseInt(m.group(1));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theLauncherStartsTheChatWithTheDistributionsSettingsAndStopsOnSigterm() throws Exception {
        try (Launched chat = new Launched(Map.of(), data)) {
            String jvm = chat.line("settings from");
            assertTrue(jvm.contains("settings from " + LAUNCHER), jvm);
            String given = jvm.substring(jvm.indexOf(": ", jvm.indexOf("settings from")) + 2);
            assertEquals(String.join(" ", JvmSettings.distribution()), given.substring(0, given.indexOf(", max heap")),
                    "every option of conf/jvm.options, in order, and nothing else");
            int port = chat.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/socket"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(handshake.body().startsWith("0{\"sid\""), handshake.body());

            long stopping = System.nanoTime();
            // SIGTERM, as a service manager or `docker stop` sends it (through the handle: Process.destroy() would
            // also close our end of its output, and with it the last lines).
            chat.process.toHandle().destroy();
            assertTrue(chat.process.waitFor(20, TimeUnit.SECONDS), "still running 20 s after SIGTERM");
            assertTrue(System.nanoTime() - stopping < TimeUnit.SECONDS.toNanos(20));
            assertEquals(143, chat.process.exitValue(), "ended by the signal (128 + 15), after its shutdown hooks");
            chat.line("shutting down");
        }
    }

    @Test
    void javaOptsComeAfterTheDistributionsSettingsAndWin() throws Exception {
        try (Launched chat = new Launched(Map.of("JAVA_OPTS", "-Xmx256m -Dhibiki.example=1"), data)) {
            String jvm = chat.line("settings from");
            assertTrue(jvm.contains("-Xmx1g"), "the distribution's own setting is still given: " + jvm);
            assertTrue(jvm.indexOf("-Xmx256m") > jvm.indexOf("-XX:TrimNativeHeapInterval"), "after them: " + jvm);
            Matcher heap = Pattern.compile("max heap (\\d+) MB").matcher(jvm);
            assertTrue(heap.find(), jvm);
            assertTrue(Integer.parseInt(heap.group(1)) <= 256, "JAVA_OPTS' -Xmx256m took effect: " + jvm);
            chat.port();
        }
    }

    @Test
    void theTarballHoldsTheSameDistributionWithAnExecutableLauncher() throws Exception {
        Path tarball = DIST.resolveSibling("hibiki-chat-dist.tar.gz");
        Process tar = new ProcessBuilder("tar", "-tvzf", tarball.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, listing);
        for (String entry : List.of("hibiki-chat/bin/hibiki-chat", "hibiki-chat/bin/hibiki-chat.cmd",
                "hibiki-chat/conf/jvm.options", "hibiki-chat/lib/hibiki-chat.jar", "hibiki-chat/LICENSE",
                "hibiki-chat/NOTICE")) {
            assertTrue(listing.contains(entry), entry + " missing:\n" + listing);
        }
        String launcherLine = listing.lines().filter(l -> l.endsWith("hibiki-chat/bin/hibiki-chat")).findFirst()
                .orElseThrow();
        assertTrue(launcherLine.startsWith("-rwxr-xr-x"), launcherLine);
    }
}
