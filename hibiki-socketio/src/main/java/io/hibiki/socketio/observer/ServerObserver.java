package io.hibiki.socketio.observer;

/**
 * Hears what a server does, for metrics: Hibiki's Micrometer binder ({@code hibiki-micrometer}) is one. Calls come
 * from event loops and listener threads, concurrently: an implementation must be thread-safe, must not block and
 * should be cheap (a counter increment), since the emit and receive paths call it for every event. Every method
 * does nothing by default.
 */
public interface ServerObserver {

    /** Observes nothing: the default. */
    ServerObserver NONE = new ServerObserver() {
    };

    /**
     * A socket joined a namespace (its CONNECT was answered).
     *
     * @param namespace the namespace name
     */
    default void socketConnected(String namespace) {
    }

    /**
     * A connected socket left a namespace.
     *
     * @param namespace the namespace name
     * @param reason    Node's reason string ({@code "transport close"}, {@code "ping timeout"},
     *                  {@code "client namespace disconnect"}, {@code "server namespace disconnect"}, …)
     */
    default void socketDisconnected(String namespace, String reason) {
    }

    /**
     * A client sent an event (counted as it arrives, before rate limits and middleware).
     *
     * @param namespace the namespace name
     * @param event     the event name, as the client wrote it (untrusted: bound what you keep of it)
     */
    default void eventReceived(String namespace, String event) {
    }

    /**
     * This server wrote an event to {@code recipients} local sockets (an emit to one socket, or a broadcast's local
     * part, including one that arrived from another node through the adapter).
     *
     * @param namespace    the namespace name
     * @param event        the event name
     * @param recipients   how many local sockets it was written to (0 when none matched)
     * @param payloadBytes the size of what each recipient got: the packet's Engine.IO messages (text as UTF-8, and
     *                     any binary attachments), without transport framing
     */
    default void eventSent(String namespace, String event, int recipients, long payloadBytes) {
    }

    /**
     * A client's Engine.IO message reached the Socket.IO layer (every packet, whatever namespace it is for).
     *
     * @param bytes its size: text as UTF-8, or binary
     */
    default void bytesReceived(long bytes) {
    }

    /**
     * A client answered a socket's {@code emitWithAck}.
     *
     * @param namespace      the namespace name
     * @param roundTripNanos from the emit to the answer
     */
    default void ackReceived(String namespace, long roundTripNanos) {
    }

    /** The adapter sent a message to the cluster (a broadcast, a request or a response), and Redis took it. */
    default void adapterPublished() {
    }

    /** The adapter received a message from another node. */
    default void adapterReceived() {
    }

    /** The adapter could not send a message (the cluster link is down or refused it). */
    default void adapterError() {
    }

    /** A request to the other nodes ({@code fetchSockets}, {@code serverSideEmit} with an ack) timed out. */
    default void adapterRequestTimedOut() {
    }
}
