package io.hibiki.chat.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The web UI's files, from the classpath, cached in memory. */
public final class StaticFiles {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "application/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final String root;
    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    public StaticFiles(String root) {
        this.root = root;
    }

    /** A file under the root by request path ({@code /} is {@code index.html}); empty when absent. */
    public Optional<byte[]> get(String path) {
        String p = path.equals("/") ? "/index.html" : path;
        if (!p.matches("(/[A-Za-z0-9_-]+)*/[A-Za-z0-9_-]+\\.[a-z]+")) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(p, k -> {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + k)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static String contentType(String path) {
        String p = path.equals("/") ? "/index.html" : path;
        return TYPES.getOrDefault(p.substring(p.lastIndexOf('.') + 1), "application/octet-stream");
    }
}
