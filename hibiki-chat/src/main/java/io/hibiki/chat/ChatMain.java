package io.hibiki.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the chat with settings from the environment and flags; stops cleanly on SIGTERM / Ctrl-C. */
public final class ChatMain {

    private static final Logger log = LoggerFactory.getLogger(ChatMain.class);

    private ChatMain() {
    }

    public static void main(String[] args) throws Exception {
        ChatConfig config = ChatConfig.fromEnvironment(args);
        ChatServer server = new ChatServer(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
        }, "chat-shutdown"));
        server.start();
    }
}
