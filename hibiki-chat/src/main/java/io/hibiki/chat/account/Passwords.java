package io.hibiki.chat.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: Argon2id (BouncyCastle's implementation) in the PHC string form
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, so the cost can be raised later and old hashes
 * still verify (and are re-hashed at the next sign-in, {@link #needsRehash}).
 *
 * <p>Each hash takes tens of milliseconds and {@code memoryKiB} of memory; at most {@code concurrency} run at once,
 * so a burst of sign-ins queues instead of taking every core and a heap's worth of memory.
 */
public final class Passwords {

    /** OWASP's minimum for Argon2id (2024): 19 MiB, 2 passes, 1 lane. */
    public static final int MEMORY_KIB = 19 * 1024;
    public static final int PASSES = 2;
    public static final int LANES = 1;
    /** Shortest password accepted (NIST SP 800-63B's minimum for chosen passwords). */
    public static final int MIN_LENGTH = 8;
    /** Longest: the hash cost does not grow with it, but the request and the work of reading it do. */
    public static final int MAX_LENGTH = 256;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKiB;
    private final int passes;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore running;
    /**
     * Verified against when a handle does not exist, so that an unknown handle takes as long as a wrong password;
     * made at its first use (a start does not pay for a hash it may never need).
     */
    private volatile String decoy;

    public Passwords() {
        this(MEMORY_KIB, PASSES, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Lower costs are for tests only: they make a stolen table cheaper to attack. */
    public Passwords(int memoryKiB, int passes, int concurrency) {
        this.memoryKiB = memoryKiB;
        this.passes = passes;
        this.running = new Semaphore(concurrency, true);
    }

    /** Why a new password is refused, or null when it is acceptable. */
    public static String problem(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return "passwords are at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "passwords are at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** A new hash of the password, with a fresh salt. */
    public String hash(char[] password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKiB, passes, LANES, 32);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + passes + ",p=" + LANES + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(out);
    }

    /** Whether the password matches the stored hash; a malformed hash matches nothing. */
    public boolean verify(char[] password, String stored) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !m.matches()) {
            return false;
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        byte[] salt;
        byte[] expected;
        try {
            salt = B64D.decode(m.group(4));
            expected = B64D.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // A hash from this table is trusted only within sane costs: a tampered row must not make a sign-in take
        // gigabytes.
        if (mem < 8 * p || mem > 1024 * 1024 || t < 1 || p < 1 || salt.length < 8 || expected.length < 16) {
            return false;
        }
        byte[] actual = derive(password, salt, mem, t, p, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Spends the time of one verification, for an unknown handle. */
    public void verifyDecoy(char[] password) {
        String d = decoy;
        if (d == null) {
            d = hash("decoy password, never anyone's".toCharArray());
            decoy = d;
        }
        verify(password, d);
    }

    /** Whether a stored hash was made with lower costs than today's (it is replaced at the next sign-in). */
    public boolean needsRehash(String stored) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        return m == null || !m.matches() || Integer.parseInt(m.group(1)) < memoryKiB
                || Integer.parseInt(m.group(2)) < passes;
    }

    private byte[] derive(char[] password, byte[] salt, int mem, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(mem)
                .withIterations(t)
                .withParallelism(p)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] pw = toUtf8(password);
        byte[] out = new byte[length];
        running.acquireUninterruptibly();
        try {
            generator.generateBytes(pw, out);
        } finally {
            running.release();
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    private static byte[] toUtf8(char[] password) {
        java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }
}
