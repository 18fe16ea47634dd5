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
 */
public final class UserTokens {

    private final SecretKeySpec key;

    public UserTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The configured secret, or one generated once and kept in the data directory. */
    static UserTokens load(ChatConfig config) throws IOException {
        if (config.secret() != null) {
            return new UserTokens(config.secret().getBytes(StandardCharsets.UTF_8));
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
        return new UserTokens(Base64.getDecoder().decode(Files.readString(file).strip()));
    }

    public String sign(String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public boolean verify(String userId, String token) {
        return token != null && MessageDigest.isEqual(sign(userId).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }
}
