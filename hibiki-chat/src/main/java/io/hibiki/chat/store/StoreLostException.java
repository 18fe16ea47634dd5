package io.hibiki.chat.store;

/** The store this server opened is gone or replaced: nothing written now could be kept. */
public final class StoreLostException extends java.sql.SQLException {
    private static final long serialVersionUID = 1L;

    StoreLostException(String reason) {
        super(reason);
    }
}
