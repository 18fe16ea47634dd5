package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.testsupport.NodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI end to end in headless Chromium (Debian's {@code /usr/bin/chromium}, driven by playwright-core):
 * two users chat in a room, see each other's presence, typing and images, and markup stays text; a burst keeps
 * its typed order and an over-long text is refused on the page; a direct conversation reaches a user who was
 * offline; a page in 40 rooms reloads into all of them, with badges, without rejoining them one by one.
 */
class ChatBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT = Path.of("target", "e2e-screenshot.png").toAbsolutePath();
    /** The UI at 1280 px and at 390 px wide, for a person to look at (nothing is asserted on them). */
    private static final Path WIDE = Path.of("target", "e2e-wide.png").toAbsolutePath();
    private static final Path MOBILE = Path.of("target", "e2e-mobile.png").toAbsolutePath();
    /** More messages than one sync page, so only a client that loads the newest page shows the latest. */
    private static final int SEEDED = 230;

    @TempDir
    static Path dataDir;
    private static ChatFixture chat;

    @BeforeAll
    static void startServer() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the browser test needs Debian's chromium package "
                    + "(apt-get install chromium; CI installs it)");
        }
        // The shipped rate limits: the UI must live within them.
        chat = ChatFixture.start(dataDir, "EVENTS_PER_SECOND=10", "EVENT_BURST=30");
        MessageStore store = chat.server().store();
        for (int i = 0; i < SEEDED; i++) {
            store.append("general", null, "Seeder", "user-seeder-0001", "seeded message " + i, null, null,
                    System.currentTimeMillis());
        }
    }

    @AfterAll
    static void stopServer() {
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void twoUsersChatInTheBrowser() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        try (NodeScript browser = NodeScript.start("chat-browser.mjs", "--url=" + chat.url(),
                "--chromium=" + CHROMIUM, "--screenshot=" + SCREENSHOT,
                "--screenshot-wide=" + WIDE, "--screenshot-mobile=" + MOBILE,
                "--latest=seeded message " + (SEEDED - 1))) {
            Duration wait = Duration.ofSeconds(60);
            for (String step : List.of("launch", "open", "older", "join-room",
                    "presence", "message", "typing", "image", "markup-is-text", "screenshot",
                    "busy-room", "direct", "mute", "leave-room", "ordered-burst", "dm-offline", "reload-40-rooms",
                    "offline-outbox", "refused-message",
                    "screenshots")) {
                JsonNode line = browser.await(e -> e.path("event").asText().equals("step")
                        && e.path("name").asText().equals(step), wait);
                assertNotNull(line, step);
                System.out.println("browser " + line);
            }
            browser.await("done", wait);
            assertEquals(0, browser.awaitExit(Duration.ofSeconds(10)), browser.diagnostics());
            List<JsonNode> errors = browser.events().stream()
                    .filter(e -> List.of("pageerror", "console-error", "http-error").contains(e.path("event").asText()))
                    .toList();
            assertEquals(List.of(), errors, "the pages logged errors");
        }

        byte[] shot = Files.readAllBytes(SCREENSHOT);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(shot, 4));
        assertTrue(shot.length > 5_000, "a screenshot of a rendered page, not a blank one");

        List<ChatMessage> room = chat.server().store().history("e2e", null, 100).subList(0, 3);
        assertEquals(List.of("Hello Bob, this is Alice", "", "<b>bold</b><script>window.__pwned = 1</script>"),
                room.stream().map(ChatMessage::text).toList());
        assertTrue(room.stream().allMatch(m -> m.author().equals("Alice")));
        ChatMessage.Attachment image = room.get(1).attachment();
        assertEquals("image/png", image.type());
        assertEquals("gradient.png", image.name());
        assertTrue(image.url().matches("/uploads/[A-Za-z0-9_-]{20}\\.png"), image.url());
    }
}
