package io.hibiki.engine;

import java.util.ArrayDeque;

/** What a session needs of the transport under it. All methods run on the session's event loop. */
interface SessionTransport {

    Transport kind();

    /** Whether {@link #write} may be called now (a WebSocket is open; a long-poll is waiting). */
    boolean canWrite();

    /** Whether a write now would go out without queueing (for volatile packets and backpressure). */
    boolean isWritable();

    /** Writes and drains every queued message; takes ownership of them. */
    void write(ArrayDeque<EngineMessage> queue);

    /** The session is over: tell the client if the transport can, then release the connection. */
    void close();

    /** The session moved to another transport (or this probe failed): release it without closing the session. */
    void discard();
}
