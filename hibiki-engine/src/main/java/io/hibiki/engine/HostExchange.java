package io.hibiki.engine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/** A request a host handed to {@link EngineHost}: answered through the host, which owns the connection. */
final class HostExchange implements HttpExchange {

    private final HostRequest host;
    private final HttpRequest request;

    HostExchange(HostRequest host) {
        this.host = host;
        this.request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(host.method()), host.uri(),
                host.headers());
    }

    HostRequest host() {
        return host;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public ByteBufAllocator alloc() {
        return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void send(FullHttpResponse response, boolean keepConnection) {
        try {
            HttpHeaders h = response.headers();
            // The host's connection, the host's business: it frames the body and decides on keep-alive itself.
            h.remove(HttpHeaderNames.CONNECTION);
            h.remove(HttpHeaderNames.KEEP_ALIVE);
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            host.respond(response.status().code(), h, ByteBufUtil.getBytes(response.content()));
        } finally {
            response.release();
        }
    }

    @Override
    public void abort() {
        host.abort();
    }
}
