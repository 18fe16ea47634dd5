package io.hibiki.chat.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether a file's content is what its declared type says, from the content alone: a file named {@code cat.png}
 * or sent as {@code image/png} that is really HTML is refused, so nothing served from the store is other than it
 * claims.
 */
final class ContentSniffer {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] GIF87 = "GIF87a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF89 = "GIF89a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBP = "WEBP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    private ContentSniffer() {
    }

    static boolean matches(Path file, String type) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        return switch (type) {
            case "image/png" -> startsWith(head, 0, PNG);
            case "image/jpeg" -> startsWith(head, 0, JPEG);
            case "image/gif" -> startsWith(head, 0, GIF87) || startsWith(head, 0, GIF89);
            case "image/webp" -> startsWith(head, 0, RIFF) && startsWith(head, 8, WEBP);
            case "application/pdf" -> startsWith(head, 0, PDF);
            case "text/plain" -> isText(file);
            default -> false;
        };
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        return data.length >= at + prefix.length
                && Arrays.equals(data, at, at + prefix.length, prefix, 0, prefix.length);
    }

    /** UTF-8 throughout, with no NUL byte (which no text has and every binary format does). */
    private static boolean isText(Path file) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] all = Files.readAllBytes(file);
        for (byte b : all) {
            if (b == 0) {
                return false;
            }
        }
        try {
            utf8.decode(ByteBuffer.wrap(all));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
