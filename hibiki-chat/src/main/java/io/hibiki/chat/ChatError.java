package io.hibiki.chat;

/** A request the chat refuses, with a stable code the client can act on. */
final class ChatError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;

    ChatError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
