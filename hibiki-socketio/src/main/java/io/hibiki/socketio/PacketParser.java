package io.hibiki.socketio;

/**
 * How packets are written on the wire, server-wide, as Node's {@code parser} option: every client must use the
 * same one (the JS client's {@code parser} option).
 */
public enum PacketParser {

    /** socket.io-parser, the default: JSON text, binary values in separate binary messages. */
    DEFAULT,

    /**
     * socket.io-msgpack-parser 3.x: each packet one binary MessagePack message (notepack.io's dialect), binary
     * values inline. Smaller for binary-heavy traffic; not readable in a browser's network panel.
     */
    MSGPACK
}
