package io.hibiki.engine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;

/** A request read by {@link EngineHttpHandler} from a Netty connection, answered on that connection. */
final class ChannelExchange implements HttpExchange {

    private final ChannelHandlerContext ctx;
    private final HttpRequest request;

    ChannelExchange(ChannelHandlerContext ctx, HttpRequest request) {
        this.ctx = ctx;
        this.request = request;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public void send(FullHttpResponse response, boolean keepConnection) {
        if (keepConnection) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            // An error may be answered before the body was read.
            ctx.writeAndFlush(response).addListener(f -> EngineResponses.lingeringClose(ctx.channel()));
        }
    }

    @Override
    public void abort() {
        ctx.close();
    }
}
