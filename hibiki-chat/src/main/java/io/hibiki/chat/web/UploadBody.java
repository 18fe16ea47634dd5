package io.hibiki.chat.web;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The file of an upload request: the first file field of a multipart form, or a raw body described by its
 * {@code Content-Type} and a URL-encoded {@code X-Filename}. The name is what the client said, nothing more.
 */
record UploadBody(byte[] data, String type, String name) {

    /** Reads the file; empty when a multipart form has no file field. */
    static Optional<UploadBody> read(FullHttpRequest req) throws IOException {
        String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            String header = req.headers().get("X-Filename");
            return Optional.of(new UploadBody(ByteBufUtil.getBytes(req.content()), contentType,
                    header == null ? null : URLDecoder.decode(header, StandardCharsets.UTF_8)));
        }
        HttpPostRequestDecoder decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), req);
        try {
            for (InterfaceHttpData d : decoder.getBodyHttpDatas()) {
                if (d instanceof FileUpload f) {
                    return Optional.of(new UploadBody(f.get(), f.getContentType(), f.getFilename()));
                }
            }
            return Optional.empty();
        } finally {
            decoder.destroy();
        }
    }
}
