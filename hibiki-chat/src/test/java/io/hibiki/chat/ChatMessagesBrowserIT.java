package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.testsupport.NodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing and reading messages in the web UI, in headless Chromium at 1280 and 390 px: lines, the Markdown subset
 * and safe links as the other user sees them, editing (↑ and the Edit button) and deleting, reactions, uploads,
 * reading aids, replies and threads, @mention suggestions, a keyboard-only path, and an axe-core check of the main
 * page and an open thread (no serious or critical violations) at both widths. Screenshots go to
 * {@code target/messages-*.png}.
 */
class ChatMessagesBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void writeFormatEditAndDelete() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the browser test needs Debian's chromium package");
        }
        Path shots = Path.of("target").toAbsolutePath();
        Files.createDirectories(shots);
        try (ChatFixture chat = ChatFixture.start(dir, "EVENTS_PER_SECOND=10", "EVENT_BURST=30")) {
            // Enough history that the room scrolls on both screens.
            for (int i = 0; i < 40; i++) {
                chat.server().store().append("general", null, "Seeder", "user-seeder-0001", "earlier " + i, null, null,
                        System.currentTimeMillis());
            }
            // Accounts to mention (the two users in the browsers are guests).
            ChatAccountsIT.signUp(chat, "carol", "carol password");
            ChatAccountsIT.signUp(chat, "caroline", "caroline password");
            run(chat, shots);
        }
    }

    private static void run(ChatFixture chat, Path shots) throws Exception {
        try (NodeScript browser = NodeScript.start("chat-messages-browser.mjs", "--url=" + chat.url(),
                "--chromium=" + CHROMIUM, "--shots=" + shots)) {
            for (String step : List.of("launch", "multiline", "formatting", "quote-and-code", "edit-last",
                    "edit-button-and-delete", "reactions", "uploads", "reading", "new-messages-and-jump",
                    "replies", "threads", "mention-autocomplete", "keyboard", "accessibility")) {
                JsonNode line = browser.await(e -> e.path("event").asText().equals("failure")
                        || e.path("event").asText().equals("step") && e.path("name").asText().equals(step),
                        Duration.ofSeconds(60));
                assertEquals("step", line.path("event").asText(), () -> line + "\n" + browser.diagnostics());
                System.out.println("browser " + line);
            }
            browser.await("done", Duration.ofSeconds(30));
            assertEquals(0, browser.awaitExit(Duration.ofSeconds(10)), browser.diagnostics());
            assertEquals(List.of(), browser.events().stream()
                    .filter(e -> List.of("pageerror", "console-error").contains(e.path("event").asText())).toList(),
                    "the pages logged errors");
            // What was stored is what was typed: the formatting is the reader's, the text is the writer's.
            List<ChatMessage> general = chat.server().store().history("general", null, 200);
            ChatMessage first = general.stream().filter(m -> m.text().equals("first line, edited")).findFirst()
                    .orElseThrow();
            assertEquals(true, first.edited());
            assertEquals(1, general.stream().filter(m -> m.text().startsWith("**bold** _it_ ~~gone~~ `x<y` see "
                    + "https://example.com/a?b=1. not javascript:alert(1) nor <b>tags</b> nor snake_case_name"))
                    .count());
            assertEquals(1, general.stream().filter(ChatMessage::deleted).count());
            // Every reply, whichever way it was written, names its parent.
            long parent = general.stream().filter(m -> m.text().equals("unseen three, edited")).findFirst()
                    .orElseThrow().id();
            for (String reply : List.of("yes, here", "answered in the thread", "and from the composer")) {
                assertEquals(parent, general.stream().filter(m -> m.text().equals(reply)).findFirst().orElseThrow()
                        .replyTo(), reply);
            }
        }
    }
}
