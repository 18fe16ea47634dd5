package io.hibiki.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The permessage-deflate negotiation, set up so its memory per connection stays bounded.
 *
 * <p>With context takeover a connection keeps a deflate state (about 256 KiB of native memory with zlib's
 * defaults) for as long as it lives, which is how other Socket.IO servers run out of memory with compression on.
 * Unless the application asks for context takeover, every accepted offer gets {@code server_no_context_takeover}
 * (RFC 7692 lets a server add it unasked), so the deflate state exists only while one message is compressed. The
 * client's side is the client's to offer: {@code client_no_context_takeover} is accepted when offered (then no
 * inflate state is kept either); otherwise a connection that sends compressed messages keeps one inflate state
 * (about 40 KiB). Messages under the threshold go out uncompressed, as in Node, and an inflated message may not
 * exceed {@code maxHttpBufferSize} (a small compressed frame can otherwise inflate without limit).
 */
final class PerMessageDeflate {

    private static final int COMPRESSION_LEVEL = 6;
    private static final int MAX_WINDOW_BITS = 15;

    private PerMessageDeflate() {
    }

    static ChannelHandler handler(EngineOptions options) {
        int threshold = options.perMessageDeflateThreshold();
        WebSocketExtensionFilter belowThreshold = frame -> frame instanceof Uncompressed
                || frame.content().readableBytes() < threshold;
        WebSocketExtensionFilterProvider filters = new WebSocketExtensionFilterProvider() {
            @Override
            public WebSocketExtensionFilter encoderFilter() {
                return belowThreshold;
            }

            @Override
            public WebSocketExtensionFilter decoderFilter() {
                return WebSocketExtensionFilter.NEVER_SKIP;
            }
        };
        boolean takeover = options.perMessageDeflateContextTakeover();
        // The JDK's zlib cannot set window bits, so a client asking for a smaller server window is refused
        // (no compression) rather than misled.
        PerMessageDeflateServerExtensionHandshaker netty = new PerMessageDeflateServerExtensionHandshaker(
                COMPRESSION_LEVEL, false, MAX_WINDOW_BITS, true, !takeover, filters,
                Math.max(1, options.maxHttpBufferSize()));
        WebSocketServerExtensionHandshaker handshaker = takeover ? netty : new NoContextTakeover(netty);
        return new WebSocketServerExtensionHandler(handshaker);
    }

    /** A data frame the deflate encoder must let through as it is ({@code compress(false)}). */
    static WebSocketFrame uncompressed(ByteBuf payload, boolean binary) {
        return binary ? new UncompressedBinary(payload) : new UncompressedText(payload);
    }

    /** Marks the frames the encoder's filter skips. */
    private interface Uncompressed {
    }

    private static final class UncompressedText extends TextWebSocketFrame implements Uncompressed {
        UncompressedText(ByteBuf payload) {
            super(payload);
        }
    }

    private static final class UncompressedBinary extends BinaryWebSocketFrame implements Uncompressed {
        UncompressedBinary(ByteBuf payload) {
            super(payload);
        }
    }

    /** Accepts an offer as if it had asked the server to keep no context. */
    private record NoContextTakeover(WebSocketServerExtensionHandshaker delegate)
            implements WebSocketServerExtensionHandshaker {

        @Override
        public WebSocketServerExtension handshakeExtension(WebSocketExtensionData offer) {
            Map<String, String> params = new LinkedHashMap<>(offer.parameters());
            params.putIfAbsent("server_no_context_takeover", null);
            return delegate.handshakeExtension(new WebSocketExtensionData(offer.name(), params));
        }
    }
}
