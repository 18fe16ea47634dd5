package io.hibiki.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line flags. */
public final class Args {

    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args) {
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                values.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("--")) {
                values.put(a.substring(2), "true");
            }
        }
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int getInt(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
