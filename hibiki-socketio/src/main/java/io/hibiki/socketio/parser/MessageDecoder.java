package io.hibiki.socketio.parser;

/**
 * Turns the Engine.IO messages of one connection into Socket.IO packets, in the format of the server's parser:
 * {@link PacketDecoder} (socket.io-parser: text, with binary attachments in the messages after it) or
 * {@link MsgPackPacketDecoder} (socket.io-msgpack-parser: one binary message per packet). Every malformed input
 * throws {@link PacketParseException} and leaves the decoder ready for the next packet. Not thread-safe: one per
 * connection.
 */
public interface MessageDecoder {

    /**
     * Reads a text message.
     *
     * @param message the Engine.IO message text, without the Engine.IO {@code "4"} prefix
     * @return the packet, or {@code null} while the attachments it announced are awaited
     * @throws PacketParseException if the message is not a valid packet in this format
     */
    Packet decodeText(String message) throws PacketParseException;

    /**
     * Reads a binary message.
     *
     * @param message the Engine.IO message bytes
     * @return the packet it completes, or {@code null} while more attachments are awaited
     * @throws PacketParseException if the message is not valid here
     */
    Packet decodeBinary(byte[] message) throws PacketParseException;

    /** Drops a packet whose attachments are still awaited (the connection closed). */
    void reset();
}
