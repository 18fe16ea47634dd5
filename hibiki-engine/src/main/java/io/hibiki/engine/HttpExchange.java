package io.hibiki.engine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;

/**
 * One HTTP request to the Engine.IO path and the way its answer goes out: a Netty connection
 * ({@link ChannelExchange}) or a host's own request ({@link HostExchange}, a servlet container's). Compared by
 * identity: a polling transport tells its waiting poll from a newer one by it.
 */
interface HttpExchange {

    HttpRequest request();

    ByteBufAllocator alloc();

    /**
     * Sends the answer (once).
     *
     * @param keepConnection false when the connection must not carry another request (its body may be unread)
     */
    void send(FullHttpResponse response, boolean keepConnection);

    /** Drops the request without an answer: nobody is left to take the body it is still sending. */
    void abort();
}
