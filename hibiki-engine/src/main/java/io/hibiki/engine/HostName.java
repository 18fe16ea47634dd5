package io.hibiki.engine;

import java.util.Locale;

/** The host name a request names in its {@code Host} header, as allow-lists compare it. */
public final class HostName {

    private HostName() {
    }

    /**
     * The name without its port, in lower case; IPv6 literals keep their brackets ({@code [::1]}).
     *
     * @param header the {@code Host} header's value, or {@code null}
     * @return the name, or an empty string when there is no header (which no allow-list contains)
     */
    public static String of(String header) {
        if (header == null) {
            return "";
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
