package io.hibiki.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One chat server for a whole test class (with its own data directory and settings), and fresh Node clients for
 * each test: {@code @RegisterExtension static final SharedChat SHARED = new SharedChat("NAME=value", …)}, then
 * {@code SHARED.server()} and {@code SHARED.clients()} from instance fields or tests.
 */
final class SharedChat implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private final String[] settings;
    private Path dataDir;
    private ChatFixture server;
    private ChatClients clients;

    SharedChat(String... settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("hibiki-chat-it-");
        server = ChatFixture.start(dataDir, settings);
    }

    ChatFixture server() {
        return server;
    }

    /** The current test's clients, started on first use and closed after the test. */
    ChatClients clients() {
        if (clients == null) {
            clients = server.clients();
        }
        return clients;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (clients != null) {
            clients.close();
            clients = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
