package io.hibiki.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the chat with settings from the environment and flags; stops cleanly on SIGTERM / Ctrl-C. */
public final class ChatMain {

    private static final Logger log = LoggerFactory.getLogger(ChatMain.class);

    private ChatMain() {
    }

    public static void main(String[] args) throws Exception {
        log.info("{}", JvmSettings.describeRunning());
        ChatConfig config = ChatConfig.fromEnvironment(args);
        ChatServer server;
        try {
            server = new ChatServer(config);
        } catch (Exception e) {
            // One line an operator can act on (the cause's own words), not a stack trace.
            log.error("cannot start: {}", StartupFailure.describe(e, config));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
        }, "chat-shutdown"));
        server.start();
    }
}
