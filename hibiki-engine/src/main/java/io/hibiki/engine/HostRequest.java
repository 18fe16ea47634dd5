package io.hibiki.engine;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.SocketAddress;

/**
 * An HTTP request for the Engine.IO path that a host other than Hibiki's own Netty server (a servlet container)
 * hands to {@link EngineHost}, and the way back to its client. The host reads the body; Hibiki decides the answer.
 */
public interface HostRequest {

    /**
     * The request method.
     *
     * @return {@code GET}, {@code POST}, {@code OPTIONS}, …
     */
    String method();

    /**
     * The request URI as the client sent it.
     *
     * @return the path with its raw query string, for example {@code /socket.io/?EIO=4&transport=polling}
     */
    String uri();

    /**
     * The request headers.
     *
     * @return every header of the request (names match without regard to case)
     */
    HttpHeaders headers();

    /**
     * The client's address, as the host saw the connection.
     *
     * @return the peer's address; may be {@code null} when the host does not know it
     */
    SocketAddress remoteAddress();

    /**
     * Whether the connection used TLS.
     *
     * @return {@code true} for HTTPS
     */
    boolean secure();

    /**
     * Answers the request; Hibiki calls it exactly once per request it answers, from any thread.
     *
     * @param status  the HTTP status
     * @param headers the response headers, without hop-by-hop ones (the host manages its connections)
     * @param body    the response body, possibly empty
     */
    void respond(int status, HttpHeaders headers, byte[] body);

    /** Ends the request without an answer: Hibiki has nobody left to give it to (its session closed). */
    void abort();
}
