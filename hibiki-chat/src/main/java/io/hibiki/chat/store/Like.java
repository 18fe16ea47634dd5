package io.hibiki.chat.store;

/**
 * LIKE patterns from user text: the text's own {@code %}, {@code _} and backslashes match themselves (the queries
 * say {@code ESCAPE '\\'}), so a search for "50%" is not a wildcard.
 */
final class Like {

    private Like() {
    }

    /** A pattern matching any value that contains {@code text}. */
    static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
