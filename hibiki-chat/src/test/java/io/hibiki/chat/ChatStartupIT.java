package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees at start: one clear line for a damaged database, and a secret only its owner reads. */
class ChatStartupIT {

    @Test
    void aDamagedDatabaseFileGivesOneClearLine(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("hibiki-chat.mv.db"), "this is not an H2 file ".repeat(200).getBytes());
        ChatProcess.Exit exit = ChatProcess.runToExit(Map.of("DATA_DIR", dir.toString(), "PORT", "0",
                "CHAT_SECRET", "x"), dir, Duration.ofSeconds(60));
        assertEquals(1, exit.code(), exit.output());
        List<String> lines = exit.output().lines().filter(l -> !l.isBlank()).toList();
        List<String> errors = lines.stream().filter(l -> l.contains("ERROR")).toList();
        assertEquals(1, errors.size(), exit.output());
        assertTrue(errors.get(0).contains("could not open the embedded database in " + dir), errors.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")),
                "no stack trace: " + exit.output());
    }

    @Test
    void theGeneratedSecretIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        ChatConfig config = ChatConfig.from(Map.of("DATA_DIR", dir.toString()));
        UserTokens.load(config);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret"))));
        // One an earlier version left world-readable is tightened.
        Files.setPosixFilePermissions(dir.resolve("secret"), PosixFilePermissions.fromString("rw-r--r--"));
        UserTokens.load(config);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret"))));
    }
}
