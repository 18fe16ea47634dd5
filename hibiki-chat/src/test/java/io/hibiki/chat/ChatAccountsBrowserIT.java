package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.testsupport.NodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts in the web UI, in headless Chromium: two people sign up from the page, one signs in on a second
 * browser (a phone-sized one, no cookie, no storage) and finds the same rooms and history, a guest using an
 * account's name is marked as a guest, and signing out one browser leaves the other signed in. Screenshots of each
 * main state at 1280 and 390 px go to {@code target/accounts-*.png}.
 */
class ChatAccountsBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void twoAccountsAndASecondBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the browser test needs Debian's chromium package");
        }
        Files.createDirectories(SHOTS);
        try (ChatFixture chat = ChatFixture.start(dir, "EVENTS_PER_SECOND=10", "EVENT_BURST=30",
                "SIGNINS_PER_MINUTE_PER_IP=0", "SIGNUPS_PER_HOUR_PER_IP=0");
             NodeScript browser = NodeScript.start("chat-accounts-browser.mjs", "--url=" + chat.url(),
                     "--chromium=" + CHROMIUM, "--shots=" + SHOTS)) {
            // A busy default room: the oldest of these is three pages back.
            long now = System.currentTimeMillis();
            chat.server().store().append("general", null, "Seeder", "user-seeder-0001", "an old needle in the haystack",
                    null, null, now);
            for (int i = 0; i < 120; i++) {
                chat.server().store().append("general", null, "Seeder", "user-seeder-0001", "hay " + i, null, null,
                        now);
            }
            for (String step : List.of("launch", "sign-up-dialog", "sign-up", "chat", "second-browser",
                    "guest-is-marked", "sign-out", "directory", "invite", "search", "mentions-and-notifications",
                    "directory-mobile", "phone")) {
                JsonNode line = browser.await(e -> e.path("event").asText().equals("failure")
                        || e.path("event").asText().equals("step") && e.path("name").asText().equals(step),
                        Duration.ofSeconds(60));
                assertEquals("step", line.path("event").asText(), () -> line + "\n" + browser.diagnostics());
                System.out.println("browser " + line);
            }
            browser.await("done", Duration.ofSeconds(30));
            assertEquals(0, browser.awaitExit(Duration.ofSeconds(10)), browser.diagnostics());
            List<JsonNode> errors = browser.events().stream()
                    .filter(e -> List.of("pageerror", "console-error").contains(e.path("event").asText()))
                    // Chromium logs every 4xx fetch; the refusals the steps cause on purpose are checked by them.
                    .filter(e -> !e.path("text").asText().startsWith("Failed to load resource"))
                    .toList();
            assertEquals(List.of(), errors, "the pages logged errors");

            List<ChatMessage> design = chat.server().store().history("design", null, 10);
            assertEquals(List.of("first message from alice", "a reply from bob", "sent from alice's phone",
                    "still here after the phone signed out"), design.stream().limit(4).map(ChatMessage::text).toList());
            // Then the phone's: a mention, a picture, and a message deleted (its text gone from the store).
            assertEquals("@bob over here", design.get(4).text());
            assertEquals("phone-photo.png", design.get(5).attachment().name());
            assertEquals(List.of(true, ""), List.of(design.get(6).deleted(), design.get(6).text()));
            assertEquals(design.get(0).userId(), design.get(2).userId(), "both browsers are one user");
        }
        for (String name : List.of("accounts-dialog-wide", "accounts-room-wide", "accounts-second-browser-mobile",
                "accounts-guest-marked-wide", "accounts-signed-out-mobile", "accounts-directory-wide",
                "accounts-directory-mobile", "search-results-wide", "accounts-search-mobile",
                "accounts-phone-mobile")) {
            byte[] png = Files.readAllBytes(SHOTS.resolve(name + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), name);
        }
    }
}
