package io.hibiki.chat.upload;

import io.hibiki.engine.SessionIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes a file (blocking); the caller has checked size and type. */
    public Stored store(byte[] data, String contentType, String originalName) throws IOException {
        String type = baseType(contentType);
        String ext = TYPES.get(type);
        if (ext == null) {
            throw new IllegalArgumentException("type not accepted: " + type);
        }
        Files.createDirectories(dir);
        String name = SessionIds.next() + "." + ext;
        Files.write(dir.resolve(name), data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Stored("/uploads/" + name, displayName(originalName, ext), type, data.length);
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
