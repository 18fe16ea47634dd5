package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineServer} driven through {@link EmbeddedChannel}s: each channel is one client HTTP connection whose
 * pipeline is what {@link EngineServer#addTo} builds, on a frozen clock. A session belongs to the event loop of the
 * channel that made its handshake, so its timers run when that channel's time is advanced. Records what the server's
 * listeners see, and on {@link #close()} closes every session and releases every channel, so nothing leaks.
 */
final class EngineFixture implements AutoCloseable {

    static final String PATH = "/engine.io/";
    static final String RS = "\u001e";

    /** A response, copied out of its (released) {@link FullHttpResponse}. */
    record Reply(int status, HttpHeaders headers, String body) {
        String header(CharSequence name) {
            return headers.get(name);
        }
    }

    final EngineServer server;
    final List<EngineSocket> sockets = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final List<byte[]> binaries = new ArrayList<>();
    final Map<String, CloseReason> closes = new HashMap<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    EngineFixture(EngineOptions options) {
        server = new EngineServer(options);
        server.onConnection(s -> {
            sockets.add(s);
            s.onMessage(messages::add);
            s.onBinary(binaries::add);
            s.onClose((reason, description) -> closes.put(s.id(), reason));
        });
    }

    EngineFixture() {
        this(EngineOptions.DEFAULT);
    }

    /** A new client connection; {@code after} are added behind the engine handler. */
    EmbeddedChannel connection(ChannelHandler... after) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        server.addTo(ch.pipeline());
        ch.pipeline().addLast(after);
        channels.add(ch);
        return ch;
    }

    /** A new client connection that speaks bytes, as in {@link EngineServer#listen}: HTTP codec, then the engine. */
    EmbeddedChannel byteConnection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast("http", new HttpServerCodec());
        server.addTo(ch.pipeline());
        channels.add(ch);
        return ch;
    }

    /** A full request; {@code headers} are name/value pairs. */
    static FullHttpRequest request(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, CharsetUtil.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().add(headers[i], headers[i + 1]);
        }
        return req;
    }

    /** Writes a request and returns its response, or {@code null} when none was written yet (a waiting poll). */
    static Reply exchange(EmbeddedChannel ch, Object request) {
        ch.writeInbound(request);
        ch.runPendingTasks();
        return reply(ch);
    }

    /** The next response written on {@code ch}, or {@code null}. */
    static Reply reply(EmbeddedChannel ch) {
        Object out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        FullHttpResponse res = (FullHttpResponse) out;
        try {
            return new Reply(res.status().code(), res.headers().copy(), res.content().toString(CharsetUtil.UTF_8));
        } finally {
            res.release();
        }
    }

    static Reply get(EmbeddedChannel ch, String query, String... headers) {
        return exchange(ch, request(HttpMethod.GET, PATH + "?" + query, null, headers));
    }

    static Reply post(EmbeddedChannel ch, String query, String body, String... headers) {
        return exchange(ch, request(HttpMethod.POST, PATH + "?" + query, body, headers));
    }

    static String poll(String sid) {
        return "EIO=4&transport=polling&sid=" + sid;
    }

    /** A successful polling handshake on {@code ch}; returns the session id. */
    static String handshake(EmbeddedChannel ch, String... headers) {
        Reply r = get(ch, "EIO=4&transport=polling&t=abc", headers);
        assertNotNull(r, "handshake answered");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().startsWith("0{\"sid\":\""), r.body());
        int start = "0{\"sid\":\"".length();
        return r.body().substring(start, r.body().indexOf('"', start));
    }

    /** Moves a channel's (and so its sessions') virtual clock and runs what became due. */
    static void advance(EmbeddedChannel ch, Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    EngineSocket socket(String sid) {
        return sockets.stream().filter(s -> s.id().equals(sid)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (EngineSocket s : sockets) {
            ((EngineSession) s).onClose(CloseReason.FORCED_CLOSE, "test teardown");
        }
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }
}
