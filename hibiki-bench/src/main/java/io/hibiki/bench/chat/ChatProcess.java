package io.hibiki.bench.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chat started by its distribution's launcher, in its own process; ended by its own handle. */
final class ChatProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Hibiki chat on https?://[^:]+:(\\d+)/");

    private final Process process;
    private final int port;

    private ChatProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Runs {@code launcher} with these settings and waits (60 s at most) until the chat listens. */
    static ChatProcess start(Path launcher, Map<String, String> settings) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString()).redirectErrorStream(true);
        pb.environment().putAll(settings);
        Process p = pb.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    } else if (line.contains("ERROR")) {
                        System.err.println("chat: " + line);
                    }
                }
            } catch (IOException ignored) {
                // the chat ended
            }
            listening.completeExceptionally(new IllegalStateException("the chat ended before listening"));
        }, "hostile-chat-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return new ChatProcess(p, listening.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
