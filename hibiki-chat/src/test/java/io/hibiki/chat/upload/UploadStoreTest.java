package io.hibiki.chat.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Uploaded files on disk: generated names, accepted types, names a client cannot steer. */
class UploadStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesUnderAGeneratedNameAndOpensItAgain() throws Exception {
        UploadStore store = new UploadStore(dir, 100);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        UploadStore.Stored stored = store.store(data, "text/plain; charset=utf-8", "../../etc/notes.txt");
        assertTrue(stored.url().matches("/uploads/[A-Za-z0-9_-]{20}\\.txt"), stored.url());
        assertEquals("notes.txt", stored.name());
        assertEquals("text/plain", stored.type());
        String name = stored.url().substring("/uploads/".length());
        UploadStore.StoredFile file = store.open(name).orElseThrow();
        assertArrayEquals(data, Files.readAllBytes(file.path()));
        assertEquals(dir.resolve(name).toAbsolutePath(), file.path());
        assertEquals("text/plain; charset=utf-8", file.contentType());
        assertFalse(file.image());
        assertThrows(IllegalArgumentException.class, () -> store.store(data, "text/html", "x.html"));
    }

    @Test
    void theContentDecidesNotTheDeclaredType() throws Exception {
        UploadStore store = new UploadStore(dir, 1 << 20);
        byte[] html = "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}) {
            assertThrows(IllegalArgumentException.class, () -> store.store(html, type, "x"), type);
        }
        assertThrows(IllegalArgumentException.class, () -> store.store(new byte[] {'a', 0, 'b'}, "text/plain", "x"));
        assertThrows(IllegalArgumentException.class,
                () -> store.store(new byte[] {(byte) 0xC3, (byte) 0x28}, "text/plain", "bad utf-8"));
        assertEquals("image/gif", store.store("GIF89a....".getBytes(StandardCharsets.US_ASCII), "image/gif", "g")
                .type());
        assertEquals("application/pdf", store.store("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII),
                "application/pdf", "p").type());
        assertEquals("text/plain", store.store("héllo".getBytes(StandardCharsets.UTF_8), "text/plain", "t").type());
    }

    @Test
    void uploadsNoMessageRefersToAreRemovedOnceOldEnough() throws Exception {
        UploadStore store = new UploadStore(dir, 100);
        String kept = store.store("kept".getBytes(StandardCharsets.UTF_8), "text/plain", "a").url();
        String orphan = store.store("orphan".getBytes(StandardCharsets.UTF_8), "text/plain", "b").url();
        String young = store.store("young".getBytes(StandardCharsets.UTF_8), "text/plain", "c").url();
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - java.time.Duration.ofHours(30).toMillis());
        for (String url : new String[] {kept, orphan}) {
            Files.setLastModifiedTime(dir.resolve(url.substring("/uploads/".length())), old);
        }
        int removed = store.removeOrphans(java.time.Duration.ofHours(24), url -> url.equals(kept));
        assertEquals(1, removed);
        assertTrue(store.open(kept.substring(9)).isPresent());
        assertFalse(store.open(orphan.substring(9)).isPresent());
        assertTrue(store.open(young.substring(9)).isPresent(), "too young to be an orphan yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../hibiki-chat.mv.db", "..", "", "abc.png", "AAAAAAAAAAAAAAAAAAAA.html",
        "AAAAAAAAAAAAAAAAAAAA.png/../x", "AAAAAAAAAAAAAAAAAAAA.png"})
    void opensOnlyExistingGeneratedNames(String name) {
        assertTrue(new UploadStore(dir, 100).open(name).isEmpty(), name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "image/png|true", "IMAGE/PNG; x=y|true", "image/jpeg|true", "image/gif|true", "image/webp|true",
        "application/pdf|true", "text/plain|true", "text/html|false", "image/svg+xml|false",
        "application/octet-stream|false", "application/javascript|false"})
    void acceptsOnlyListedTypes(String type, boolean accepted) {
        assertEquals(accepted, UploadStore.accepts(type));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../etc/passwd|passwd", "..\\..\\win.ini|win.ini", "/abs/path/a.png|a.png", "..|file.png",
        "' '|file.png", "a\"b\u0000c.png|abc.png", "photo.png|photo.png"})
    void displayNamesAreBaseNamesOnly(String original, String shown) {
        assertEquals(shown, UploadStore.displayName(original, "png"));
    }

    @Test
    void longDisplayNamesAreCappedWithoutSplittingCharacters() {
        String name = "a".repeat(199) + "\uD83D\uDE00.png";
        String shown = UploadStore.displayName(name, "png");
        assertEquals("a".repeat(199), shown);
        assertEquals(200, UploadStore.displayName("b".repeat(300), "png").length());
    }
}
