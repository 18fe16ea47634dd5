package io.hibiki.engine.codec;

/** Thrown for input that is not a valid Engine.IO packet or payload; the session closes with "parse error". */
public final class EngineParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public EngineParseException(String message) {
        super(message, null, false, false);
    }
}
