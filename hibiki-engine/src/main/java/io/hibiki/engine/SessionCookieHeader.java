package io.hibiki.engine;

/**
 * The {@code Set-Cookie} value of the session cookie, attribute for attribute in the order and spelling Node's
 * engine.io sends (its {@code cookie} package): {@code io=<sid>; Max-Age=…; Domain=…; Path=/; HttpOnly; Secure;
 * SameSite=Lax}. The values were checked when the options were made, and a session id is URL-safe base64.
 */
final class SessionCookieHeader {

    private SessionCookieHeader() {
    }

    /** The response headers carrying the session cookie for a new session, or {@code null} without a cookie. */
    static io.netty.handler.codec.http.HttpHeaders headers(EngineOptions options, String sid, EngineRequest info) {
        EngineOptions.CookieOptions c = options.cookie();
        if (c == null) {
            return null;
        }
        // Secure when the client used HTTPS, so the cookie never travels in the clear.
        return new io.netty.handler.codec.http.DefaultHttpHeaders().add(
                io.netty.handler.codec.http.HttpHeaderNames.SET_COOKIE, of(c, sid, info != null && info.secure()));
    }

    static String of(EngineOptions.CookieOptions c, String sid, boolean secure) {
        StringBuilder b = new StringBuilder(96).append(c.name()).append('=').append(sid);
        if (c.maxAge() != null) {
            b.append("; Max-Age=").append(c.maxAge().toSeconds());
        }
        if (c.domain() != null) {
            b.append("; Domain=").append(c.domain());
        }
        if (c.path() != null) {
            b.append("; Path=").append(c.path());
        }
        if (c.httpOnly()) {
            b.append("; HttpOnly");
        }
        if (secure) {
            b.append("; Secure");
        }
        if (c.sameSite() != null) {
            b.append("; SameSite=").append(c.sameSite());
        }
        return b.toString();
    }
}
