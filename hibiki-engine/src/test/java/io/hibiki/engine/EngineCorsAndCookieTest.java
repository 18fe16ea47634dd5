package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.exchange;
import static io.hibiki.engine.EngineFixture.get;
import static io.hibiki.engine.EngineFixture.handshake;
import static io.hibiki.engine.EngineFixture.poll;
import static io.hibiki.engine.EngineFixture.post;
import static io.hibiki.engine.EngineFixture.request;
import static io.hibiki.engine.EngineHttpErrorTableTest.UNKNOWN_TRANSPORT;
import static io.hibiki.engine.EngineHttpErrorTableTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.engine.EngineFixture.Reply;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CORS preflights and response headers, and the session cookie. */
class EngineCorsAndCookieTest {

    private static final String APP = "https://app.example";
    private static final String EVIL = "https://evil.example";

    private EngineFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private EmbeddedChannel start(Consumer<CorsOptions.Builder> cors) {
        f = new EngineFixture(EngineOptions.builder().cors(cors).build());
        return f.connection();
    }

    private static Reply preflight(EmbeddedChannel ch, String origin, String... more) {
        String[] headers = new String[more.length + 4];
        headers[0] = "Origin";
        headers[1] = origin;
        headers[2] = "Access-Control-Request-Method";
        headers[3] = "POST";
        System.arraycopy(more, 0, headers, 4, more.length);
        return exchange(ch, request(HttpMethod.OPTIONS, EngineFixture.PATH + "?EIO=4&transport=polling", null, headers));
    }

    @Test
    void preflightFromAnAllowedOriginIsAnswered() {
        EmbeddedChannel ch = start(c -> c.allowOrigins(APP).credentials(true));
        Reply r = preflight(ch, APP, "Access-Control-Request-Headers", "content-type,x-token");
        assertEquals(204, r.status());
        assertEquals("", r.body());
        assertEquals(APP, r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals("GET,POST", r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS));
        assertEquals("content-type,x-token", r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS));
        assertEquals("true", r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS));
        assertTrue(r.headers().getAll(HttpHeaderNames.VARY).contains("origin"), r.headers().toString());
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE));
        assertEquals(0, f.server.clientsCount(), "a preflight starts no session");
        assertTrue(ch.isOpen());
    }

    @Test
    void preflightUsesConfiguredMethodsHeadersAndMaxAge() {
        EmbeddedChannel ch = start(c -> c.allowOrigins(APP).methods("GET", "POST", "OPTIONS")
                .allowedHeaders("Authorization").maxAgeSeconds(600));
        Reply r = preflight(ch, APP, "Access-Control-Request-Headers", "x-other");
        assertEquals("GET,POST,OPTIONS", r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS));
        assertEquals("Authorization", r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS));
        assertEquals("600", r.header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE));
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS), "credentials are off by default");
    }

    @Test
    void preflightFromADisallowedOriginGetsNoCorsHeaders() {
        EmbeddedChannel ch = start(c -> c.allowOrigins(APP).credentials(true));
        Reply r = preflight(ch, EVIL, "Access-Control-Request-Headers", "content-type");
        assertEquals(204, r.status());
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS));
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS));
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS));
    }

    @Test
    void withoutCorsOptionsNoOriginIsAllowed() {
        f = new EngineFixture();
        EmbeddedChannel ch = f.connection();
        assertNull(preflight(ch, APP).header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        Reply r = get(ch, "EIO=4&transport=polling", "Origin", APP);
        assertEquals(200, r.status(), "not enforced: served, but unreadable by a browser");
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
    }

    @Test
    void patternsAndPredicatesAllowOrigins() {
        EmbeddedChannel ch = start(c -> c.allowOriginPattern(Pattern.compile("https://[a-z]+\\.app\\.example"))
                .allowOrigin(o -> o.endsWith(":8080")));
        assertEquals("https://eu.app.example",
                preflight(ch, "https://eu.app.example").header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals("http://localhost:8080",
                preflight(ch, "http://localhost:8080").header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertNull(preflight(ch, "https://eu.app.example.evil").header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
    }

    @Test
    void anyOriginIsAWildcard() {
        EmbeddedChannel ch = start(CorsOptions.Builder::allowAnyOrigin);
        Reply r = preflight(ch, EVIL);
        assertEquals("*", r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertNull(r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS));
    }

    @Test
    void wildcardWithCredentialsIsRefusedAtBuildTime() {
        assertThrows(IllegalArgumentException.class,
                () -> CorsOptions.builder().allowAnyOrigin().credentials(true).build());
    }

    @Test
    void everyEndpointResponseCarriesTheCorsHeaders() {
        EmbeddedChannel ch = start(c -> c.allowOrigins(APP).credentials(true));
        Reply open = get(ch, "EIO=4&transport=polling", "Origin", APP);
        assertEquals(APP, open.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals("true", open.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS));
        String sid = f.sockets.get(0).id();
        assertEquals(APP, post(ch, poll(sid), "4x", "Origin", APP).header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        Reply error = get(ch, "EIO=4&transport=foo", "Origin", APP);
        assertError(error, 400, UNKNOWN_TRANSPORT);
        assertEquals(APP, error.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), "so the client can read errors");
        assertNull(get(ch, "EIO=4&transport=polling", "Origin", EVIL).header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
    }

    @Test
    void enforcementLetsAllowedOriginsAndOriginlessClientsThrough() {
        EmbeddedChannel ch = start(c -> c.allowOrigins(APP).enforce(true));
        handshake(ch, "Origin", APP);
        handshake(ch);
        String sid = f.sockets.get(0).id();
        assertError(post(ch, poll(sid), "4x", "Origin", EVIL), 403, EngineHttpErrorTableTest.FORBIDDEN);
        assertTrue(f.messages.isEmpty());
        assertTrue(f.socket(sid).isOpen(), "a refused request does not hurt the session");
    }

    @Test
    void cookieIsSetOnTheHandshakeOnly() {
        f = new EngineFixture(EngineOptions.builder().cookie(EngineOptions.CookieOptions.DEFAULT).build());
        EmbeddedChannel ch = f.connection();
        Reply open = get(ch, "EIO=4&transport=polling");
        String sid = f.sockets.get(0).id();
        // Byte for byte what Node's engine.io sends with cookie: true.
        assertEquals("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax", open.header(HttpHeaderNames.SET_COOKIE));
        assertEquals(1, open.headers().getAll(HttpHeaderNames.SET_COOKIE).size());
        f.socket(sid).send("x");
        assertNull(get(ch, poll(sid)).header(HttpHeaderNames.SET_COOKIE));
        assertNull(post(ch, poll(sid), "4x").header(HttpHeaderNames.SET_COOKIE));
    }

    @Test
    void cookieOptionsAreApplied() {
        f = new EngineFixture(EngineOptions.builder()
                .cookie(new EngineOptions.CookieOptions("eio", "/app", false, "Strict")).build());
        Reply open = get(f.connection(), "EIO=4&transport=polling");
        assertEquals("eio=" + f.sockets.get(0).id() + "; Path=/app; SameSite=Strict",
                open.header(HttpHeaderNames.SET_COOKIE));
    }

    @Test
    void maxAgeAndDomainInNodesOrder() {
        f = new EngineFixture(EngineOptions.builder().cookie(EngineOptions.CookieOptions.DEFAULT
                .withMaxAge(java.time.Duration.ofHours(1)).withDomain("example.com")).build());
        Reply open = get(f.connection(), "EIO=4&transport=polling");
        // As Node's cookie.serialize("io", sid, {maxAge: 3600, domain: "example.com", path: "/", httpOnly: true,
        // sameSite: "lax"}) writes it.
        assertEquals("io=" + f.sockets.get(0).id()
                + "; Max-Age=3600; Domain=example.com; Path=/; HttpOnly; SameSite=Lax",
                open.header(HttpHeaderNames.SET_COOKIE));
    }

    @Test
    void valuesThatCannotBeSentAreRefusedWhenTheOptionsAreMade() {
        assertThrows(IllegalArgumentException.class, () -> new EngineOptions.CookieOptions("i o", "/", true, "Lax"));
        assertThrows(IllegalArgumentException.class,
                () -> new EngineOptions.CookieOptions("io", "/; Secure", true, null));
        assertThrows(IllegalArgumentException.class, () -> new EngineOptions.CookieOptions("io", "/\r\n", true, null));
        assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.CookieOptions.DEFAULT.withDomain("a.com; Path=/x"));
        assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.CookieOptions.DEFAULT.withMaxAge(java.time.Duration.ofSeconds(-1)));
    }

    @Test
    void sameSiteIsReadInAnyCaseAndAWrongOneIsRefusedWhenTheOptionsAreMade() {
        f = new EngineFixture(EngineOptions.builder()
                .cookie(new EngineOptions.CookieOptions("io", "/", true, "lax")).build());
        Reply open = get(f.connection(), "EIO=4&transport=polling");
        assertEquals(200, open.status());
        assertTrue(open.header(HttpHeaderNames.SET_COOKIE).endsWith("; SameSite=Lax"),
                open.header(HttpHeaderNames.SET_COOKIE));
        assertThrows(IllegalArgumentException.class, () -> new EngineOptions.CookieOptions("io", "/", true, "Loose"));
    }

    @Test
    void noCookieByDefault() {
        f = new EngineFixture();
        assertFalse(get(f.connection(), "EIO=4&transport=polling").headers().contains(HttpHeaderNames.SET_COOKIE));
    }
}
