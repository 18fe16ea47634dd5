package io.hibiki.engine;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The handshake's headers as a session keeps them for its whole life: a flat read-only array of name/value
 * pairs, with the common header names shared by every session. Netty's decoded headers (an entry object, a
 * name object and its bytes per header) cost several hundred bytes more per connection, which adds up to
 * megabytes across tens of thousands of idle connections.
 *
 * <p>Values of the headers that every client of one application sends alike ({@code Host}, {@code Upgrade},
 * {@code User-Agent}, {@code Origin}, ...) are shared too, through {@link SharedStrings}. Values that differ per
 * client by design (keys, cookies, credentials) are never shared.
 */
final class HandshakeHeaders {

    private static final Map<String, AsciiString> SHARED_NAMES = new HashMap<>();

    /** Headers whose values are usually the same for every client of one deployment. */
    private static final Set<String> SHARED_VALUE_HEADERS = Set.of("host", "connection", "upgrade",
            "sec-websocket-version", "sec-websocket-extensions", "user-agent", "origin", "accept",
            "accept-encoding", "accept-language", "cache-control", "pragma", "sec-fetch-mode", "sec-fetch-site",
            "sec-fetch-dest", "x-forwarded-proto");

    static {
        for (AsciiString name : new AsciiString[] {HttpHeaderNames.HOST, HttpHeaderNames.CONNECTION,
                HttpHeaderNames.UPGRADE, HttpHeaderNames.SEC_WEBSOCKET_KEY, HttpHeaderNames.SEC_WEBSOCKET_VERSION,
                HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, HttpHeaderNames.USER_AGENT, HttpHeaderNames.ORIGIN,
                HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE,
                HttpHeaderNames.COOKIE, HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.PRAGMA,
                HttpHeaderNames.REFERER, HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH,
                HttpHeaderNames.AUTHORIZATION, AsciiString.cached("x-forwarded-for"),
                AsciiString.cached("x-forwarded-proto"), AsciiString.cached("sec-fetch-mode"),
                AsciiString.cached("sec-fetch-site"), AsciiString.cached("sec-fetch-dest")}) {
            SHARED_NAMES.put(name.toString(), name);
        }
    }

    private HandshakeHeaders() {
    }

    /**
     * A compact read-only copy; names are matched without regard to case, as in any {@link HttpHeaders}. Common
     * values come from {@code shared}.
     */
    static HttpHeaders copyOf(HttpHeaders headers, SharedStrings shared) {
        CharSequence[] pairs = new CharSequence[headers.size() * 2];
        int i = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            String name = e.getKey().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            AsciiString sharedName = SHARED_NAMES.get(lower);
            pairs[i++] = sharedName != null ? sharedName : name;
            String value = e.getValue().toString();
            pairs[i++] = SHARED_VALUE_HEADERS.contains(lower) ? shared.share(value) : value;
        }
        return new ReadOnlyHttpHeaders(false, pairs);
    }
}
