package io.hibiki.chat.upload;

import io.hibiki.engine.SessionIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Uploaded files on local disk. Names are generated ({@code <random>.<ext>}, the extension from the accepted
 * content type), so nothing a client sends ever becomes part of a path.
 */
public final class UploadStore {

    /** Accepted content types and the extension each is stored under. */
    static final Map<String, String> TYPES = Map.of(
            "image/png", "png",
            "image/jpeg", "jpg",
            "image/gif", "gif",
            "image/webp", "webp",
            "application/pdf", "pdf",
            "text/plain", "txt");
    private static final Map<String, String> EXTENSIONS = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "gif", "image/gif", "webp", "image/webp",
            "pdf", "application/pdf", "txt", "text/plain; charset=utf-8");
    private static final Pattern STORED_NAME = Pattern.compile("[A-Za-z0-9_-]{20}\\.(png|jpg|gif|webp|pdf|txt)");

    private final Path dir;
    private final long maxBytes;

    public UploadStore(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** A stored file: its public URL, and what the uploader said. */
    public record Stored(String url, String name, String type, long size) {
    }

    /** Whether files of this content type are accepted. */
    public static boolean accepts(String contentType) {
        return contentType != null && TYPES.containsKey(baseType(contentType));
    }

    public static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes a file (blocking); the caller has checked size and type. */
    public Stored store(byte[] data, String contentType, String originalName) throws IOException {
        Files.createDirectories(incoming());
        Path temp = Files.createTempFile(incoming(), "upload-", ".part");
        try {
            Files.write(temp, data);
            return store(temp, contentType, originalName);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Where bodies are written while they arrive: on the store's own file system, so a finished one is moved. */
    public Path incoming() {
        return dir.resolve(".incoming");
    }

    /**
     * Moves a received file into the store (blocking). Its content decides: it must be of the declared accepted
     * type (PNG, JPEG, GIF and WebP by their signatures, PDF by its header, text as UTF-8 without NUL bytes).
     *
     * @throws IllegalArgumentException when the declared type is not accepted or the content is not of that type
     */
    public Stored store(Path received, String contentType, String originalName) throws IOException {
        String type = baseType(contentType);
        String ext = TYPES.get(type);
        if (ext == null) {
            throw new IllegalArgumentException("type not accepted: " + type);
        }
        if (!ContentSniffer.matches(received, type)) {
            throw new IllegalArgumentException("the content is not " + type);
        }
        Files.createDirectories(dir);
        String name = SessionIds.next() + "." + ext;
        long size = Files.size(received);
        Files.move(received, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return new Stored("/uploads/" + name, displayName(originalName, ext), type, size);
    }

    /**
     * Stored files older than {@code age} for which {@code referenced} says no message points to them (an upload
     * never sent, or whose message was deleted); each is removed. Returns how many were.
     */
    public int removeOrphans(java.time.Duration age, java.util.function.Predicate<String> referenced)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long before = System.currentTimeMillis() - age.toMillis();
        int removed = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (STORED_NAME.matcher(name).matches() && Files.getLastModifiedTime(f).toMillis() < before
                        && !referenced.test("/uploads/" + name)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        Path incoming = incoming();
        if (Files.isDirectory(incoming)) {
            // Bodies left by a crash mid-upload.
            try (var files = Files.list(incoming)) {
                for (Path f : files.toList()) {
                    if (Files.getLastModifiedTime(f).toMillis() < before) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        return removed;
    }

    /** A display name the UI can show: the client's base name without directories or control characters. */
    static String displayName(String original, String ext) {
        if (original == null || original.isBlank()) {
            return "file." + ext;
        }
        String base = original.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (base.isEmpty() || base.equals(".") || base.equals("..")) {
            return "file." + ext;
        }
        if (base.length() <= 200) {
            return base;
        }
        // Never half of a surrogate pair.
        return base.substring(0, Character.isHighSurrogate(base.charAt(199)) ? 199 : 200);
    }

    /** A stored file by its generated name, with its content type; empty for any other name. */
    public Optional<StoredFile> open(String name) {
        if (!STORED_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return Optional.of(new StoredFile(file, EXTENSIONS.get(ext), ext.equals("png") || ext.equals("jpg")
                || ext.equals("gif") || ext.equals("webp")));
    }

    /** A file to serve. */
    public record StoredFile(Path path, String contentType, boolean image) {
    }
}
