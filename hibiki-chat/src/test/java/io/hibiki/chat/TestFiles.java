package io.hibiki.chat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Files and request bodies for the upload tests. */
final class TestFiles {

    static final String BOUNDARY = "----hibiki-test-boundary-7d1f";

    private TestFiles() {
    }

    /** A small valid PNG. */
    static byte[] png() {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 4; x++) {
            for (int y = 0; y < 3; y++) {
                image.setRGB(x, y, (x * 60) << 16 | (y * 100) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int n, char c) {
        return String.valueOf(c).repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** A multipart/form-data body with one file field named "file". */
    static byte[] multipart(String filename, String contentType, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String multipartType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }
}
