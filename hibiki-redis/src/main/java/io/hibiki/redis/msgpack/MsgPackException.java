package io.hibiki.redis.msgpack;

/** Input that is not valid MessagePack (or uses a form no Socket.IO peer writes). */
public final class MsgPackException extends Exception {
    private static final long serialVersionUID = 1L;

    public MsgPackException(String message) {
        super(message, null, false, false);
    }
}
