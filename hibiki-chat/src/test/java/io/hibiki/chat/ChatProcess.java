package io.hibiki.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A chat instance in a JVM of its own ({@link ChatMain}, on the test's class path), so that a test can end it as an
 * operator's {@code kill -9} or a crash would, and start it again on the same port. Its output goes to a log file.
 */
final class ChatProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    private ChatProcess(String name, int port, Map<String, String> env, Path log) {
        this.name = name;
        this.port = port;
        this.env = env;
        this.log = log;
    }

    /** Starts an instance on {@code port} with these settings (environment variables) and waits until it serves. */
    static ChatProcess start(String name, int port, Map<String, String> env, Path logDir) throws Exception {
        ChatProcess p = new ChatProcess(name, port, env, logDir.resolve(name + ".log"));
        p.boot();
        return p;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the JVM (again) and waits, at most 60 s, until the chat answers on its port. */
    synchronized void boot() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaCommand()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("PORT", String.valueOf(port));
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!serving()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start: " + tail());
            }
            Thread.sleep(50);
        }
    }

    private boolean serving() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/socket"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the JVM at once (SIGKILL): no shutdown hook, no goodbye to clients, Redis or the database. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
            process = null;
        }
    }

    /**
     * Asks the JVM to end (SIGTERM, as an operator's {@code kill} or a container stop does) and waits at most
     * {@code limit}; returns how long it took, or -1 if it had to be killed.
     */
    synchronized long terminate(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
        return ended ? took : -1;
    }

    /** How a run that was meant to end ended. */
    record Exit(int code, String output) {
    }

    /** Runs the chat with these settings until it exits by itself (at most {@code limit}, then it is killed). */
    static Exit runToExit(Map<String, String> env, Path logDir, Duration limit) throws Exception {
        Path out = logDir.resolve("run-to-exit.log");
        ProcessBuilder pb = new ProcessBuilder(javaCommand()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the chat did not exit within " + limit + ": " + Files.readString(out));
        }
        return new Exit(p.exitValue(), Files.readString(out));
    }

    private static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ChatMain.class.getName());
    }

    /** The last lines of its log, for a failure message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            process = null;
        }
    }
}
