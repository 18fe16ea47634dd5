package io.hibiki.socketio;

/**
 * What a health check of a server finds ({@link SocketIoServer#health}).
 *
 * @param eventLoopsResponsive every event loop of the server's listener ran a task in the time given (a loop stuck
 *                             in a blocking call makes all its connections wait)
 * @param clusterLinked        every namespace's adapter is linked to the cluster ({@code true} on one node)
 */
public record ServerHealth(boolean eventLoopsResponsive, boolean clusterLinked) {

    /**
     * Whether the server can serve everyone now.
     *
     * @return both checks passed
     */
    public boolean up() {
        return eventLoopsResponsive && clusterLinked;
    }
}
