package io.hibiki.chat.web;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;

/**
 * The sign-in cookie: {@code HttpOnly} (page scripts never see the secret), {@code SameSite=Lax} (other sites'
 * pages cannot make the browser send it with their requests), {@code Secure} when the page came over HTTPS.
 */
public final class SessionCookie {

    public static final String NAME = "hibiki_session";

    private SessionCookie() {
    }

    /** The session secret in a {@code Cookie} header, or null. */
    public static String read(String cookieHeader) {
        if (cookieHeader == null || cookieHeader.length() > 8192) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(cookieHeader)) {
            if (c.name().equals(NAME)) {
                return c.value();
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} value that hands a session to the browser. */
    static String set(String token, long maxAgeSeconds, boolean secure) {
        return encode(token, maxAgeSeconds, secure);
    }

    /** The {@code Set-Cookie} value that makes the browser forget the session. */
    static String clear(boolean secure) {
        return encode("", 0, secure);
    }

    private static String encode(String value, long maxAge, boolean secure) {
        DefaultCookie c = new DefaultCookie(NAME, value);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSecure(secure);
        c.setSameSite(CookieHeaderNames.SameSite.Lax);
        c.setMaxAge(maxAge);
        return ServerCookieEncoder.STRICT.encode(c);
    }
}
