package io.hibiki.socketio.msgpack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Dates as JavaScript's {@code Date.prototype.toJSON} writes them, for dates read from MessagePack. */
final class JsDate {

    /** The largest distance from the epoch a JavaScript Date can hold, in milliseconds. */
    private static final long MAX_MS = 8_640_000_000_000_000L;

    private JsDate() {
    }

    /** {@code 2024-05-01T12:00:00.000Z}; years outside 0–9999 as ±YYYYYY; null when out of a Date's range. */
    static String iso(long epochMillis) {
        if (epochMillis > MAX_MS || epochMillis < -MAX_MS) {
            return null;
        }
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        int year = t.getYear();
        String y = year >= 0 && year <= 9999 ? String.format("%04d", year)
                : String.format("%s%06d", year < 0 ? "-" : "+", Math.abs(year));
        return String.format("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", y, t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }
}
