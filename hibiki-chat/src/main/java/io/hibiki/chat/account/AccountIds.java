package io.hibiki.chat.account;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * User ids of accounts: {@code acct-} and 22 random base64url characters. Guests' ids are their first socket's id
 * (20 characters), so the two never meet, and any message or presence entry says by its id alone whether its
 * author signed up, with no lookup.
 */
public final class AccountIds {

    private static final String PREFIX = "acct-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AccountIds() {
    }

    static String next() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Whether a user id belongs to an account (else to a guest). */
    public static boolean isAccount(String userId) {
        return userId != null && userId.startsWith(PREFIX) && userId.length() == PREFIX.length() + 22;
    }
}
