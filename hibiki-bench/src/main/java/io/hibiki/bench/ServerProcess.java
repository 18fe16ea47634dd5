package io.hibiki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server under test in its own process; ended by its own handle, never by name. */
final class ServerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    /** The server's "listening" line, with whatever else it said there (its TLS engine, say). */
    private final JsonNode listening;

    private ServerProcess(Process process, JsonNode listening) {
        this.process = process;
        this.port = listening.get("port").asInt();
        this.listening = listening;
    }

    /**
     * Hibiki's BenchServer on this JVM's classpath, with the JVM settings of the chat's distribution (its
     * {@code jvm.options}, what {@code bin/hibiki-chat} starts the chat with); {@code jvmFlags} come after them, so
     * they can override one for an experiment.
     */
    static ServerProcess hibiki(List<String> jvmFlags, List<String> extraArgs) throws Exception {
        return hibiki(true, jvmFlags, extraArgs);
    }

    /** As above; without {@code distributionSettings}, the JVM's defaults (what {@code java -jar} gives). */
    static ServerProcess hibiki(boolean distributionSettings, List<String> jvmFlags, List<String> extraArgs)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (distributionSettings) {
            cmd.addAll(io.hibiki.chat.JvmSettings.distribution());
        }
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServer.class.getName(), "--port=0"));
        cmd.addAll(extraArgs);
        return start(cmd, null);
    }

    /**
     * The BenchServer started by the chat distribution's own launcher ({@code bin/hibiki-chat}), so it runs with
     * exactly the JVM settings users get from it: the launcher's {@code HIBIKI_MAIN_CLASS} and
     * {@code HIBIKI_EXTRA_CLASSPATH} point it at the benchmark server instead of the chat.
     */
    static ServerProcess hibikiViaLauncher(Path launcher, List<String> extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "HIBIKI_MAIN_CLASS=" + BenchServer.class.getName(),
                "HIBIKI_EXTRA_CLASSPATH=" + OwnClassPath.absolute(), launcher.toAbsolutePath().toString(), "--port=0"));
        cmd.addAll(extraArgs);
        return start(cmd, null);
    }

    /** The Node reference (socket.io 4.8) from the pinned packages. */
    static ServerProcess node(Path nodeDir, List<String> extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", nodeDir.resolve("scripts/bench-node-server.mjs").toString(),
                "--port=0"));
        cmd.addAll(extraArgs);
        return start(cmd, nodeDir);
    }

    private static ServerProcess start(List<String> cmd, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<JsonNode> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("{")) {
                        JsonNode n = JSON.readTree(line);
                        if ("listening".equals(n.path("event").asText())) {
                            return n;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("server exited before listening: " + cmd);
        });
        try {
            JsonNode bound = port.get(60, TimeUnit.SECONDS);
            // Keep draining stdout so the server never blocks on a full pipe.
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (java.io.IOException ignored) {
                    // process ended
                }
            }, "bench-server-stdout");
            drain.setDaemon(true);
            drain.start();
            return new ServerProcess(p, bound);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** A field of the server's "listening" line, or {@code fallback}. */
    String listeningField(String name, String fallback) {
        return listening.path(name).asText(fallback);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
