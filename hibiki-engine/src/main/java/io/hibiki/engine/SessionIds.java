package io.hibiki.engine;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable ids: 15 bytes from a CSPRNG as 20 URL-safe base64 characters (the shape of Node's ids). */
public final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {
    }

    /**
     * Draws a new session id. Ids are random, not checked for uniqueness: with 120 random bits a collision is not
     * a practical concern.
     *
     * @return a fresh id, 20 URL-safe base64 characters without padding
     */
    public static String next() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
