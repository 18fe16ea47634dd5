package io.hibiki.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM options the distribution's launcher starts the chat with ({@code jvm.options}, also shipped as
 * {@code conf/jvm.options}), and what the running JVM was actually given, for the startup log line.
 */
public final class JvmSettings {

    /** Set by the launcher, so a log reader knows which settings the process got and from where. */
    static final String LAUNCHER_PROPERTY = "hibiki.launcher";

    private JvmSettings() {
    }

    /** The distribution's options, in order, without comments or blank lines. */
    public static List<String> distribution() {
        try (InputStream in = JvmSettings.class.getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is missing from the chat's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line: the Java version, where the settings came from, and the options the JVM was given. */
    static String describeRunning() {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-D" + LAUNCHER_PROPERTY + "=")).toList();
        String source = launcher != null ? "settings from " + launcher
                : given.isEmpty() ? "JVM defaults (bin/hibiki-chat of the distribution starts it with measured settings)"
                : "settings given on the command line";
        return "Java " + Runtime.version() + ", " + source + ": " + (given.isEmpty() ? "none" : String.join(" ", given))
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB";
    }
}
