package io.hibiki.engine.codec;

/** Thrown for input that is not a valid Engine.IO packet or payload; the session closes with "parse error". */
public final class EngineParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception without a stack trace, so that bad input from clients is cheap to reject.
     *
     * @param message what was wrong with the input; becomes the reason reported for the closed session
     */
    public EngineParseException(String message) {
        super(message, null, false, false);
    }
}
