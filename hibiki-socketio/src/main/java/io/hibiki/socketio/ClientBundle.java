package io.hibiki.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.engine.AcceptEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The official browser client, as Node's socket.io serves it: every build the client package ships
 * ({@code socket.io[.msgpack|.esm][.min].js} and the maps), from copies packaged into this jar at build time; with the
 * client's version as ETag ({@code 304} on {@code If-None-Match}), {@code max-age=0} so a browser revalidates after
 * an upgrade, and gzip or deflate for clients that accept them (compressed once, kept). Any host can serve it:
 * Hibiki's Netty server does, and so does the Spring Boot starter on a servlet container.
 */
public final class ClientBundle {

    private static final String RESOURCE_DIR = "META-INF/hibiki/client/";
    /** Node's pattern for the client files (socket.io's clientPathRegex), without the path. */
    private static final Pattern FILES = Pattern.compile("socket\\.io(\\.msgpack|\\.esm)?(\\.min)?\\.js(\\.map)?");
    private static final Map<String, Bundle> CACHE = new ConcurrentHashMap<>();
    private static final Bundle MISSING = new Bundle(null, null, null);
    private static volatile String etag;

    /** One file, plain and compressed. */
    private record Bundle(byte[] plain, byte[] gzip, byte[] deflate) {
    }

    /**
     * An answer to a request for a client file.
     *
     * @param status  200, or 304 when the client's copy is current
     * @param headers the response headers, without {@code Content-Length}
     * @param body    the body; empty for 304
     */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private ClientBundle() {
    }

    /**
     * The answer to a request for {@code file}, or {@code null} when it names no client file.
     *
     * @param file           the file name requested under the Socket.IO path, for example {@code socket.io.min.js}
     * @param ifNoneMatch    the request's {@code If-None-Match}, or {@code null}
     * @param acceptEncoding the request's {@code Accept-Encoding}, or {@code null}
     * @return the answer, or {@code null}
     */
    public static Answer answer(String file, String ifNoneMatch, String acceptEncoding) {
        Bundle bundle = load(file);
        if (bundle == MISSING) {
            return null;
        }
        String tag = etag();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ETag", tag);
        if (tag.equals(ifNoneMatch) || ("W/" + tag).equals(ifNoneMatch)) {
            return new Answer(304, h, new byte[0]);
        }
        String encoding = AcceptEncoding.preferred(acceptEncoding);
        byte[] body = "gzip".equals(encoding) ? bundle.gzip : "deflate".equals(encoding) ? bundle.deflate
                : bundle.plain;
        h.put("Content-Type", file.endsWith(".map")
                ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8");
        h.put("Cache-Control", "public, max-age=0");
        // Unlike Node, say that the body depends on Accept-Encoding, so a shared cache keeps both forms apart.
        h.put("Vary", "Accept-Encoding");
        if (encoding != null) {
            h.put("Content-Encoding", encoding);
        }
        h.put("X-Content-Type-Options", "nosniff");
        return new Answer(200, h, body);
    }

    private static Bundle load(String file) {
        if (file == null || !FILES.matcher(file).matches()) {
            return MISSING;
        }
        return CACHE.computeIfAbsent(file, f -> {
            byte[] plain = resource(f);
            return plain == null ? MISSING : new Bundle(plain, compress(plain, true), compress(plain, false));
        });
    }

    private static byte[] resource(String name) {
        try (InputStream in = ClientBundle.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] compress(byte[] plain, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3);
        try (DeflaterOutputStream z = gzip ? new GZIPOutputStream(out)
                : new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION))) {
            z.write(plain);
        } catch (IOException e) {
            // In memory: cannot fail.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code "<client version>"}, from the client package's manifest packaged beside the files. */
    private static String etag() {
        String e = etag;
        if (e == null) {
            byte[] manifest = resource("package.json");
            String version = "unknown";
            if (manifest != null) {
                try {
                    version = new ObjectMapper().readTree(manifest).path("version").asText("unknown");
                } catch (IOException ex) {
                    // keep "unknown": the files are still served, only revalidation is coarser
                }
            }
            e = "\"" + version + "\"";
            etag = e;
        }
        return e;
    }
}
