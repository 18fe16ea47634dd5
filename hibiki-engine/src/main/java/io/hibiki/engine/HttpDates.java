package io.hibiki.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header's value (RFC 9110: an origin server with a clock sends one), formatted once a second
 * rather than on every response.
 */
final class HttpDates {

    /** IMF-fixdate: a two-digit day, unlike RFC_1123_DATE_TIME's. */
    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Cached(long second, String text) {
    }

    private volatile Cached cached = new Cached(-1, "");

    String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, FORMAT.format(Instant.ofEpochSecond(second)));
            cached = c;
        }
        return c.text;
    }
}
