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
            // The MIME type the HTML standard names for module scripts (application/javascript is obsolete).
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final String root;
    /** Found files only: caching misses would let anyone grow the map with made-up names. */
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public StaticFiles(String root) {
        this.root = root;
    }

    /**
     * A file under the root by request path ({@code /} is {@code index.html}, {@code /js/main.js} a file in a
     * folder); empty when absent. Every segment is letters, digits, {@code _} or {@code -}, so no path can name
     * {@code ..} or leave the root.
     */
    public Optional<byte[]> get(String path) {
        String p = path.equals("/") ? "/index.html" : path;
        if (!p.matches("(/[A-Za-z0-9_-]+)*/[A-Za-z0-9_-]+\\.[a-z]+")) {
            return Optional.empty();
        }
        byte[] cached = cache.get(p);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + p)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] data = in.readAllBytes();
            cache.putIfAbsent(p, data);
            return Optional.of(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many files are held in memory. */
    int cachedFiles() {
        return cache.size();
    }

    public static String contentType(String path) {
        String p = path.equals("/") ? "/index.html" : path;
        return TYPES.getOrDefault(p.substring(p.lastIndexOf('.') + 1), "application/octet-stream");
    }
}
