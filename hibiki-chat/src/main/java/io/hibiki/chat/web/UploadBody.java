package io.hibiki.chat.web;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The file of an upload request, from its body on disk: the first file field of a multipart form, or a raw body
 * described by its {@code Content-Type} and a URL-encoded {@code X-Filename}. The name is what the client said,
 * nothing more. Blocking (disk): run it on a worker.
 */
record UploadBody(Path file, String type, String name) {

    /** Reads the file out of {@code body} into {@code dir}; empty when a multipart form has no file field. */
    static Optional<UploadBody> read(HttpRequest head, Path body, Path dir) throws IOException {
        String contentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            String header = head.headers().get("X-Filename");
            return Optional.of(new UploadBody(body, contentType,
                    header == null ? null : URLDecoder.decode(header, StandardCharsets.UTF_8)));
        }
        // Parts larger than 16 KiB go to disk as they are decoded: a form is never held in memory whole.
        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(16 * 1024);
        factory.setBaseDir(dir.toString());
        factory.setDeleteOnExit(false);
        HttpPostRequestDecoder decoder = new HttpPostRequestDecoder(factory, head);
        try (InputStream in = Files.newInputStream(body)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                decoder.offer(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk, 0, n)));
            }
            decoder.offer(LastHttpContent.EMPTY_LAST_CONTENT);
            for (InterfaceHttpData d : decoder.getBodyHttpDatas()) {
                if (d instanceof FileUpload f) {
                    Path out = Files.createTempFile(dir, "upload-", ".file");
                    if (f.isInMemory()) {
                        Files.write(out, f.get());
                    } else if (!f.renameTo(out.toFile())) {
                        throw new IOException("could not keep the uploaded part");
                    }
                    return Optional.of(new UploadBody(out, f.getContentType(), f.getFilename()));
                }
            }
            return Optional.empty();
        } finally {
            decoder.destroy();
            factory.cleanAllHttpData();
            Files.deleteIfExists(body);
        }
    }
}
