package io.hibiki.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs user ids, so that a client can only present an id the server gave it: a user id claimed without its
 * token is ignored (otherwise anyone could edit another user's messages or read their direct rooms).
 *
 * <p>A token is {@code <issued>.<mac>}: the second it was issued and an HMAC of the id with that time. It is good
 * for {@code ttl} after it was issued (every connect hands out a fresh one, so a user who keeps coming back never
 * sees it expire) and until the user revokes their sessions, which makes every token issued before then invalid.
 * Tokens of the earlier form (an HMAC of the id alone, no time) are taken as issued at time 0: valid until the user's
 * first revocation, and replaced by a timed one at the next connect.
 */
public final class UserTokens {

    /** The second before which a user's tokens are no longer good (0: none revoked). */
    @FunctionalInterface
    public interface Revocations {
        long revokedBefore(String userId);
    }

    private final SecretKeySpec key;
    private final long ttlSeconds;
    private volatile Revocations revocations = userId -> 0;

    public UserTokens(byte[] secret) {
        this(secret, Long.MAX_VALUE / 2);
    }

    public UserTokens(byte[] secret, long ttlSeconds) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.ttlSeconds = ttlSeconds;
    }

    /** Where revocations are read (the users table, once the store is open). */
    void revocations(Revocations r) {
        this.revocations = r;
    }

    /** The configured secret, or one generated once and kept in the data directory. */
    static UserTokens load(ChatConfig config) throws IOException {
        long ttl = config.tokenTtlHours() * 3600L;
        if (config.secret() != null) {
            return new UserTokens(config.secret().getBytes(StandardCharsets.UTF_8), ttl);
        }
        Path file = config.dataDir().resolve("secret");
        // Anyone who reads the key can sign any user id: the file is the owner's alone.
        java.util.Set<java.nio.file.attribute.PosixFilePermission> ownerOnly =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        if (!Files.exists(file)) {
            Files.createDirectories(config.dataDir());
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(ownerOnly));
            Files.writeString(file, Base64.getEncoder().encodeToString(b));
        } else if (!Files.getPosixFilePermissions(file).equals(ownerOnly)) {
            // Made by an earlier version with the default (world-readable) mode.
            Files.setPosixFilePermissions(file, ownerOnly);
        }
        return new UserTokens(Base64.getDecoder().decode(Files.readString(file).strip()), ttl);
    }

    /** A token for the user, issued now. */
    public String sign(String userId) {
        return sign(userId, System.currentTimeMillis() / 1000);
    }

    /** A token for the user, issued at {@code issuedAt} (epoch seconds). */
    public String sign(String userId, long issuedAt) {
        return issuedAt + "." + mac(userId + "." + issuedAt);
    }

    /** Whether the token is one this server issued for the user, not expired and not revoked. */
    public boolean verify(String userId, String token) {
        if (token == null || userId == null) {
            return false;
        }
        int dot = token.indexOf('.');
        long issuedAt;
        String expected;
        if (dot < 0) {
            issuedAt = 0;
            expected = mac(userId);
        } else {
            try {
                issuedAt = Long.parseLong(token.substring(0, dot));
            } catch (NumberFormatException e) {
                return false;
            }
            long now = System.currentTimeMillis() / 1000;
            if (issuedAt > now + 60 || now - issuedAt > ttlSeconds) {
                return false;
            }
            expected = issuedAt + "." + mac(userId + "." + issuedAt);
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        return issuedAt >= revocations.revokedBefore(userId);
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
