package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.exchange;
import static io.hibiki.engine.EngineFixture.get;
import static io.hibiki.engine.EngineFixture.handshake;
import static io.hibiki.engine.EngineFixture.poll;
import static io.hibiki.engine.EngineFixture.post;
import static io.hibiki.engine.EngineFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.engine.EngineFixture.Reply;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every row of the Engine.IO HTTP error table: status, exact JSON body, and that no session is made. */
class EngineHttpErrorTableTest {

    static final String UNKNOWN_TRANSPORT = "{\"code\":0,\"message\":\"Transport unknown\"}";
    static final String UNKNOWN_SID = "{\"code\":1,\"message\":\"Session ID unknown\"}";
    static final String BAD_HANDSHAKE_METHOD = "{\"code\":2,\"message\":\"Bad handshake method\"}";
    static final String BAD_REQUEST = "{\"code\":3,\"message\":\"Bad request\"}";
    static final String FORBIDDEN = "{\"code\":4,\"message\":\"Forbidden\"}";
    static final String UNSUPPORTED_PROTOCOL_VERSION = "{\"code\":5,\"message\":\"Unsupported protocol version\"}";

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4&transport=foo", "EIO=4", "EIO=4&transport=", "EIO=4&transport=POLLING",
            "EIO=4&transport=webtransport", "EIO=4&transport=foo&sid=whatever"})
    void unknownTransportIsCode0(String query) {
        assertHandshakeError(EngineOptions.DEFAULT, getRequest(query), 400, UNKNOWN_TRANSPORT);
    }

    @Test
    void theConnectionServesTheNextRequestAfterAnError() {
        try (EngineFixture f = new EngineFixture()) {
            EmbeddedChannel ch = f.connection();
            assertError(exchange(ch, getRequest("EIO=4&transport=foo")), 400, UNKNOWN_TRANSPORT);
            assertError(exchange(ch, getRequest("EIO=3&transport=polling")), 400, UNSUPPORTED_PROTOCOL_VERSION);
            handshake(ch);
            assertEquals(1, f.server.clientsCount());
        }
    }

    @Test
    void aTransportThatIsNotOfferedIsUnknown() {
        EngineOptions pollingOnly = EngineOptions.builder().transports(Transport.POLLING).build();
        assertHandshakeError(pollingOnly, getRequest("EIO=4&transport=websocket"), 400, UNKNOWN_TRANSPORT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void unknownSidIsCode1(String method) {
        assertHandshakeError(EngineOptions.DEFAULT, request(HttpMethod.valueOf(method),
                EngineFixture.PATH + "?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA", "4x"), 400, UNKNOWN_SID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    void handshakeOtherThanGetIsCode2(String method) {
        assertHandshakeError(EngineOptions.DEFAULT, request(HttpMethod.valueOf(method),
                EngineFixture.PATH + "?EIO=4&transport=polling", "4hello"), 400, BAD_HANDSHAKE_METHOD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=3&transport=polling", "transport=polling", "EIO=5&transport=polling",
            "EIO=&transport=polling"})
    void unsupportedOrMissingProtocolVersionIsCode5(String query) {
        assertHandshakeError(EngineOptions.DEFAULT, getRequest(query), 400, UNSUPPORTED_PROTOCOL_VERSION);
    }

    /** Node checks the method, the upgrade and allowRequest before the protocol version; so do we. */
    @Test
    void theProtocolVersionIsCheckedAfterTheOtherHandshakeRules() {
        assertHandshakeError(EngineOptions.DEFAULT, request(HttpMethod.POST,
                EngineFixture.PATH + "?EIO=3&transport=polling", "4x"), 400, BAD_HANDSHAKE_METHOD);
        assertHandshakeError(EngineOptions.DEFAULT, getRequest("EIO=3&transport=websocket"), 400, BAD_REQUEST);
        EngineOptions refuseAll = EngineOptions.builder().allowRequest(r -> false).build();
        assertHandshakeError(refuseAll, getRequest("EIO=3&transport=polling"), 403, FORBIDDEN);
    }

    @Test
    void websocketHandshakeWithoutUpgradeHeaderIsCode3() {
        assertHandshakeError(EngineOptions.DEFAULT, getRequest("EIO=4&transport=websocket"), 400, BAD_REQUEST);
    }

    @Test
    void pollingHandshakeWithUpgradeHeaderIsCode3() {
        assertHandshakeError(EngineOptions.DEFAULT,
                request(HttpMethod.GET, EngineFixture.PATH + "?EIO=4&transport=polling", null, "Upgrade", "websocket"),
                400, BAD_REQUEST);
    }

    @Test
    void allowRequestReturningFalseIsForbidden() {
        EngineOptions options = EngineOptions.builder()
                .allowRequest(r -> "yes".equals(r.queryParam("token"))).build();
        assertHandshakeError(options, getRequest("EIO=4&transport=polling&token=no"), 403, FORBIDDEN);
    }

    @Test
    void allowRequestThrowingIsForbidden() {
        EngineOptions options = EngineOptions.builder().allowRequest(r -> {
            throw new IllegalStateException("boom (expected by the test)");
        }).build();
        assertHandshakeError(options, getRequest("EIO=4&transport=polling"), 403, FORBIDDEN);
    }

    @Test
    void allowRequestSeesTheHandshake() {
        List<EngineRequest> seen = new ArrayList<>();
        try (EngineFixture f = new EngineFixture(EngineOptions.builder().allowRequest(seen::add).build())) {
            handshake(f.connection(), "X-Test", "1");
            assertEquals(1, seen.size());
            assertEquals("4", seen.get(0).queryParam("EIO"));
            assertEquals("abc", seen.get(0).queryParam("t"));
            assertEquals("1", seen.get(0).headers().get("X-Test"));
            assertFalse(seen.get(0).secure());
            assertEquals(seen.get(0), f.sockets.get(0).request());
        }
    }

    @Test
    void enforcedCorsRefusesADisallowedOrigin() {
        EngineOptions options = EngineOptions.builder()
                .cors(c -> c.allowOrigins("https://app.example").enforce(true)).build();
        assertHandshakeError(options, request(HttpMethod.GET, EngineFixture.PATH + "?EIO=4&transport=polling", null,
                "Origin", "https://evil.example"), 403, FORBIDDEN);
    }

    @Test
    void errorsOnAnExistingSessionAreCode3AndLeaveItOpen() {
        try (EngineFixture f = new EngineFixture()) {
            EmbeddedChannel ch = f.connection();
            String sid = handshake(ch);
            assertError(get(ch, "EIO=4&transport=websocket&sid=" + sid), 400, BAD_REQUEST);
            assertError(exchange(ch, request(HttpMethod.PUT, EngineFixture.PATH + "?" + poll(sid), "4x")),
                    400, BAD_REQUEST);
            assertError(post(ch, poll(sid), "4x", "Content-Type", "application/octet-stream"), 400, BAD_REQUEST);
            assertTrue(f.socket(sid).isOpen());
            assertTrue(f.messages.isEmpty());
        }
    }

    @Test
    void anUndecodableRequestIsCode3() {
        FullHttpRequest req = getRequest("EIO=4&transport=polling");
        req.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));
        assertHandshakeError(EngineOptions.DEFAULT, req, 400, BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EIO=4&transport=polling&t=%zz", "EIO=4&transport=polling&sid=%",
            "EIO%G0=4"})
    void aMalformedPercentEscapeInTheQueryIsCode3(String query) {
        assertHandshakeError(EngineOptions.DEFAULT, getRequest(query), 400, BAD_REQUEST);
    }

    @Test
    void anErrorClosesTheConnectionWhenTheClientAsksFor() {
        try (EngineFixture f = new EngineFixture()) {
            EmbeddedChannel ch = f.connection();
            Reply r = exchange(ch, request(HttpMethod.GET, EngineFixture.PATH + "?EIO=4&transport=foo", null,
                    "Connection", "close"));
            assertError(r, 400, UNKNOWN_TRANSPORT);
            assertEquals("close", r.header(HttpHeaderNames.CONNECTION));
            assertFalse(ch.isOpen());
        }
    }

    private static FullHttpRequest getRequest(String query) {
        return request(HttpMethod.GET, EngineFixture.PATH + "?" + query, null);
    }

    private static void assertHandshakeError(EngineOptions options, Object request, int status, String json) {
        try (EngineFixture f = new EngineFixture(options)) {
            EmbeddedChannel ch = f.connection();
            assertError(exchange(ch, request), status, json);
            assertEquals(0, f.server.clientsCount(), "no session made");
            assertTrue(f.sockets.isEmpty());
            assertTrue(ch.isOpen(), "a keep-alive connection stays open");
        }
    }

    static void assertError(Reply r, int status, String json) {
        assertNotNull(r, "a response");
        assertEquals(status, r.status());
        assertEquals(json, r.body());
        assertEquals("application/json", r.header(HttpHeaderNames.CONTENT_TYPE));
        assertEquals(String.valueOf(json.length()), r.header(HttpHeaderNames.CONTENT_LENGTH));
    }
}
