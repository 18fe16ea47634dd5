package io.hibiki.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This JVM's class path with absolute entries, for servers started from another working directory. */
public final class OwnClassPath {

    private OwnClassPath() {
    }

    /** The entries of {@code java.class.path}, each made absolute, joined with the path separator. */
    public static String absolute() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
