package io.hibiki.socketio.msgpack;

/** Input that is not valid MessagePack (or uses a form no Socket.IO peer writes). */
public final class MsgPackException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception without a cause or stack trace: malformed input is expected from the network, and cheap to
     * reject.
     *
     * @param message what is wrong with the input
     */
    public MsgPackException(String message) {
        super(message, null, false, false);
    }
}
