package io.hibiki.chat.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords();

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String h = passwords.hash("correct horse battery".toCharArray());
        assertTrue(h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), h);
        assertTrue(passwords.verify("correct horse battery".toCharArray(), h));
        assertFalse(passwords.verify("correct horse batterY".toCharArray(), h));
        assertFalse(passwords.verify("".toCharArray(), h));
        assertNotEquals(h, passwords.hash("correct horse battery".toCharArray()), "a fresh salt each time");
        assertFalse(passwords.needsRehash(h));
    }

    @Test
    void cheaperOldHashesStillVerifyAndAreMarkedForRehashing() {
        String cheap = new Passwords(1024, 1, 1).hash("pässwörd-ü".toCharArray());
        assertTrue(passwords.verify("pässwörd-ü".toCharArray(), cheap));
        assertTrue(passwords.needsRehash(cheap));
    }

    @Test
    void malformedOrTamperedHashesMatchNothing() {
        String h = new Passwords(1024, 1, 1).hash("secret password".toCharArray());
        for (String bad : new String[] {null, "", "plain", h.replace("argon2id", "argon2i"),
                h.replace("m=1024", "m=99999999"), h.substring(0, h.length() - 4), "$2a$10$abcdefghijklmnopqrstuv"}) {
            assertFalse(passwords.verify("secret password".toCharArray(), bad), String.valueOf(bad));
        }
    }

    @Test
    void newPasswordsHaveALengthWindow() {
        assertNotNull(Passwords.problem(null));
        assertNotNull(Passwords.problem("1234567"));
        assertNull(Passwords.problem("12345678"));
        assertNull(Passwords.problem("🔑🔑🔑🔑🔑🔑🔑🔑"), "eight characters, sixteen UTF-16 units");
        assertNotNull(Passwords.problem("x".repeat(Passwords.MAX_LENGTH + 1)));
    }
}
