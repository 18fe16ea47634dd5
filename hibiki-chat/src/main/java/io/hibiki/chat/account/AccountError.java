package io.hibiki.chat.account;

/** A refused account request: a code clients can act on, a sentence people can read, and an HTTP status. */
public final class AccountError extends Exception {

    private final String code;
    private final int status;

    public AccountError(int status, String code, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
