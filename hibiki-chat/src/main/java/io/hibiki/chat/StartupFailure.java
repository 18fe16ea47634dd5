package io.hibiki.chat;

/** Says in one line why the chat could not start, from the innermost cause of a startup exception. */
final class StartupFailure {

    private StartupFailure() {
    }

    static String describe(Throwable e, ChatConfig config) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // H2 puts the whole SQL and a version after the reason on further lines.
        why = why.lines().findFirst().orElse(why);
        boolean database = containsClass(e, "org.h2.") || containsClass(e, "org.postgresql.")
                || containsClass(e, "org.flywaydb.") || containsClass(e, "com.zaxxer.hikari.");
        if (database) {
            String where = config.databaseUrl() != null ? "the database at DATABASE_URL"
                    : "the embedded database in " + config.dataDir().toAbsolutePath();
            return "could not open " + where + ": " + why
                    + " (a damaged file can be moved away: the chat then starts with an empty store)";
        }
        return why;
    }

    private static boolean containsClass(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith(prefix)) {
                return true;
            }
            for (StackTraceElement s : t.getStackTrace()) {
                if (s.getClassName().startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
