package io.hibiki.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs one of the Node scripts under {@code hibiki-test-support/node/scripts} with the pinned official packages,
 * and reads the JSON lines it prints on stdout. Scripts report events as one JSON object per line with an
 * {@code "event"} field; anything on stderr is kept for failure messages.
 */
public final class NodeScript implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String name;
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer stdoutNoise = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private NodeScript(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outReader = pump(process.getInputStream(), this::onStdoutLine, name + "-stdout");
        this.errReader = pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), name + "-stderr");
    }

    /** The directory holding {@code package.json} and {@code node_modules}. */
    public static Path nodeDir() {
        String dir = System.getProperty("hibiki.node.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "hibiki-test-support", "node");
        if (!Files.isDirectory(p.resolve("node_modules"))) {
            throw new IllegalStateException("Node packages are not installed in " + p.toAbsolutePath()
                    + " (the build runs install-if-changed.sh there)");
        }
        return p.toAbsolutePath().normalize();
    }

    /** Starts {@code scripts/<script>} with the given arguments. */
    public static NodeScript start(String script, String... args) {
        return start(java.util.Map.of(), script, args);
    }

    /** Starts {@code scripts/<script>} with extra environment variables ({@code NODE_EXTRA_CA_CERTS}, say). */
    public static NodeScript start(java.util.Map<String, String> env, String script, String... args) {
        Path dir = nodeDir();
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(dir.resolve("scripts").resolve(script).toString());
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().putAll(env);
            return new NodeScript(script, pb.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node: " + e.getMessage(), e);
        }
    }

    private void onStdoutLine(String line) {
        if (line.startsWith("{")) {
            try {
                events.add(JSON.readTree(line));
                return;
            } catch (IOException ignored) {
                // Not an event line; keep it as noise for diagnostics.
            }
        }
        stdoutNoise.append(line).append('\n');
    }

    private static Thread pump(java.io.InputStream in, java.util.function.Consumer<String> sink, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the first event matching {@code p}; fails with the script's output on timeout or exit. */
    public JsonNode await(Predicate<JsonNode> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            synchronized (events) {
                for (; seen < events.size(); seen++) {
                    if (p.test(events.get(seen))) {
                        return events.get(seen);
                    }
                }
            }
            if (!process.isAlive() && !outReader.isAlive()) {
                synchronized (events) {
                    if (seen == events.size()) {
                        throw new AssertionError(name + " exited (" + process.exitValue()
                                + ") before the expected event\n" + diagnostics());
                    }
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(name + ": no matching event within " + timeout + "\n" + diagnostics());
    }

    /** Waits for the first event named {@code event}. */
    public JsonNode await(String event, Duration timeout) {
        return await(e -> event.equals(e.path("event").asText()), timeout);
    }

    /** Writes one line to the script's standard input (scripts that take commands read JSON lines). */
    public void send(String line) {
        try {
            var in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError(name + ": cannot write to stdin: " + e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    /** Waits for the process to end and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + "\n" + diagnostics());
            }
            outReader.join(2000);
            errReader.join(2000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every event seen so far. */
    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** What the script wrote on stderr. */
    public String stderr() {
        return stderr.toString();
    }

    public String diagnostics() {
        return "--- events: " + events() + "\n--- other stdout:\n" + stdoutNoise + "--- stderr:\n" + stderr;
    }

    /** Ends the script (only this process, which the test started). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
