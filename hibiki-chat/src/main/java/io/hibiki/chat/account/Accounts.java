package io.hibiki.chat.account;

import io.hibiki.chat.KeyedRateLimit;
import io.hibiki.chat.store.AccountStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-up, sign-in, sessions and password changes. A session is a random secret handed to the browser as an
 * {@code HttpOnly} cookie (or to another client as a token); the database keeps only its SHA-256, so every instance
 * honours it and a restart keeps it. Blocking (database, password hashing): call from worker threads.
 */
public final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A session in use is extended when less than this is left of it... */
    private static final long EXTEND_WITHIN_MILLIS = 24L * 3600 * 1000;

    /**
     * @param sessionTtlMillis           how long a session lasts unused (each use extends it)
     * @param adminHandles               handles that are admins whenever they exist ({@code ADMIN_HANDLES})
     * @param signInsPerMinutePerAddress sign-in attempts per minute per address, bursts of twice that
     * @param signUpsPerHourPerAddress   new accounts per hour per address, all at once if it likes
     */
    public record Settings(long sessionTtlMillis, List<String> adminHandles, int signInsPerMinutePerAddress,
                           int signUpsPerHourPerAddress) {
    }

    /** A session just opened: its secret (for the cookie, shown once) and its account. */
    public record SignedIn(String token, Account account) {
    }

    /** An authenticated connection or request: the account, and the id of the session it came with. */
    public record Authenticated(Account account, String sessionId) {
    }

    /** Told when sessions end, so that their connections (on every instance) can be closed. */
    @FunctionalInterface
    public interface SessionsEnded {
        /**
         * @param userId     whose sessions
         * @param sessionIds the ended sessions' ids ({@link #sessionId})
         */
        void ended(String userId, List<String> sessionIds);
    }

    private final AccountStore store;
    private final Passwords passwords;
    private final Settings settings;
    private final List<String> adminKeys;
    private final KeyedRateLimit signInsByAddress;
    /** Wrong passwords per (handle, address): five, then one a minute. */
    private final KeyedRateLimit failuresByHandleAndAddress = new KeyedRateLimit(1.0 / 60, 5, 100_000);
    /**
     * Wrong passwords per handle from anywhere: a hundred an hour. A guesser with many addresses can slow the
     * owner's own sign-in for the rest of that hour, never guess at more than this rate.
     */
    private final KeyedRateLimit failuresByHandle = KeyedRateLimit.hourly(100, 100_000);
    private final KeyedRateLimit signUpsByAddress;
    private final List<SessionsEnded> listeners = new CopyOnWriteArrayList<>();

    public Accounts(AccountStore store, Passwords passwords, Settings settings) {
        this.store = store;
        this.passwords = passwords;
        this.settings = settings;
        this.adminKeys = settings.adminHandles().stream().map(Handles::key).toList();
        this.signInsByAddress = settings.signInsPerMinutePerAddress() > 0
                ? new KeyedRateLimit(settings.signInsPerMinutePerAddress() / 60.0,
                        2 * settings.signInsPerMinutePerAddress(), 100_000)
                : null;
        this.signUpsByAddress = settings.signUpsPerHourPerAddress() > 0
                ? KeyedRateLimit.hourly(settings.signUpsPerHourPerAddress(), 100_000)
                : null;
    }

    public void onSessionsEnded(SessionsEnded listener) {
        listeners.add(listener);
    }

    /** Makes the {@code ADMIN_HANDLES} that exist admins (at start; new ones become admins as they sign up). */
    public void applyAdminHandles() throws SQLException {
        int n = store.grantAdmin(adminKeys);
        if (n > 0) {
            log.info("{} account(s) made admin by ADMIN_HANDLES", n);
        }
    }

    /** The short id of a session, safe to log and to name a room after (a prefix of its secret's hash). */
    public static String sessionId(String token) {
        return hash(token).substring(0, 24);
    }

    public SignedIn signUp(String handle, String password, String displayName, String address)
            throws AccountError, SQLException {
        String problem = Handles.problem(handle);
        if (problem != null) {
            throw new AccountError(400, "invalid_handle", problem);
        }
        String h = Handles.normalize(handle);
        String name = displayName == null || displayName.isBlank() ? h : displayName;
        String nameProblem = DisplayNames.problem(name, "display name");
        if (nameProblem != null) {
            throw new AccountError(400, "invalid_display_name", nameProblem);
        }
        String pw = normalizePassword(password);
        String pwProblem = Passwords.problem(pw);
        if (pwProblem != null) {
            throw new AccountError(400, "weak_password", pwProblem);
        }
        if (signUpsByAddress != null && !signUpsByAddress.tryTake(address)) {
            throw new AccountError(429, "rate_limited", "too many new accounts from your address; try again later");
        }
        String key = Handles.key(h);
        boolean admin = adminKeys.contains(key);
        Account wanted = new Account(AccountIds.next(), h, DisplayNames.normalize(name), admin, false);
        String hash = passwords.hash(pw.toCharArray());
        long now = System.currentTimeMillis();
        Account account = store.create(wanted, key, hash, true, now)
                .orElseThrow(() -> new AccountError(409, "handle_taken", "that handle is taken"));
        log.info("account {} signed up as @{}{}", account.userId(), account.handle(), account.admin() ? " (admin)" : "");
        return new SignedIn(openSession(account.userId(), now), account);
    }

    public SignedIn signIn(String handle, String password, String address) throws AccountError, SQLException {
        if (handle == null || password == null || password.length() > Passwords.MAX_LENGTH) {
            throw wrong();
        }
        if (signInsByAddress != null && !signInsByAddress.tryTake(address)) {
            throw new AccountError(429, "rate_limited", "too many sign-in attempts; wait a minute");
        }
        String key = Handles.key(handle);
        String pair = key + "\n" + address;
        if (!failuresByHandleAndAddress.hasRoom(pair) || !failuresByHandle.hasRoom(key)) {
            throw new AccountError(429, "rate_limited", "too many wrong passwords for this handle; wait a minute");
        }
        char[] pw = normalizePassword(password).toCharArray();
        Optional<AccountStore.Credentials> found = store.byHandleKey(key);
        boolean ok;
        if (found.isEmpty()) {
            passwords.verifyDecoy(pw);
            ok = false;
        } else {
            ok = passwords.verify(pw, found.get().passwordHash());
        }
        if (!ok) {
            failuresByHandleAndAddress.tryTake(pair);
            failuresByHandle.tryTake(key);
            throw wrong();
        }
        Account account = found.get().account();
        if (account.suspended()) {
            throw new AccountError(403, "suspended", "this account is suspended");
        }
        if (passwords.needsRehash(found.get().passwordHash())) {
            store.setPasswordHash(account.userId(), passwords.hash(pw));
        }
        return new SignedIn(openSession(account.userId(), System.currentTimeMillis()), account);
    }

    /** The session's account, when the session is live and its account not suspended; extends the session. */
    public Optional<Authenticated> authenticate(String token) throws SQLException {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        String h = hash(token);
        long now = System.currentTimeMillis();
        Optional<Account> a = store.sessionAccount(h, now);
        if (a.isEmpty() || a.get().suspended()) {
            return Optional.empty();
        }
        store.extendSession(h, now + settings.sessionTtlMillis() - EXTEND_WITHIN_MILLIS);
        return Optional.of(new Authenticated(a.get(), sessionId(token)));
    }

    /** Ends the session; its connections are closed. Empty when it had already ended. */
    public Optional<Account> signOut(String token) throws SQLException {
        // Whose session it was, without extending a session that is about to go.
        String h = hash(token);
        Optional<Account> account = store.sessionAccount(h, System.currentTimeMillis());
        if (store.deleteSession(h) && account.isPresent()) {
            ended(account.get().userId(), List.of(sessionId(token)));
            return account;
        }
        return Optional.empty();
    }

    /** Changes the password of the session's account; every other session of the account ends. */
    public Account changePassword(String token, String current, String next) throws AccountError, SQLException {
        Authenticated auth = authenticate(token).orElseThrow(Accounts::signedOut);
        String pw = normalizePassword(next);
        String problem = Passwords.problem(pw);
        if (problem != null) {
            throw new AccountError(400, "weak_password", problem);
        }
        AccountStore.Credentials c = store.byUserId(auth.account().userId()).orElseThrow(Accounts::signedOut);
        if (current == null || !passwords.verify(normalizePassword(current).toCharArray(), c.passwordHash())) {
            throw new AccountError(403, "wrong_password", "the current password is not right");
        }
        store.setPasswordHash(c.account().userId(), passwords.hash(pw.toCharArray()));
        List<String> others = store.deleteSessions(c.account().userId(), hash(token));
        ended(c.account().userId(), others.stream().map(h -> h.substring(0, 24)).toList());
        return c.account();
    }

    /** Ends every session of the user but {@code keepSessionId} (null: every one); their connections close. */
    public void endOtherSessions(String userId, String keepSessionId) throws SQLException {
        List<String> others = store.deleteSessions(userId, keepSessionId);
        ended(userId, others.stream().map(h -> h.substring(0, 24)).toList());
    }

    /** Changes the display name of the session's account (its old messages show the new one too). */
    public Account rename(String token, String displayName) throws AccountError, SQLException {
        Authenticated auth = authenticate(token).orElseThrow(Accounts::signedOut);
        String problem = DisplayNames.problem(displayName, "display name");
        if (problem == null && DisplayNames.normalize(displayName).isEmpty()) {
            problem = "display name missing";
        }
        if (problem != null) {
            throw new AccountError(400, "invalid_display_name", problem);
        }
        String name = DisplayNames.normalize(displayName);
        store.rename(auth.account().userId(), name);
        Account a = auth.account();
        return new Account(a.userId(), a.handle(), name, a.admin(), a.suspended());
    }

    /** Drops expired sessions' rows (they are refused anyway; this only keeps the table small). */
    public int sweepExpired() throws SQLException {
        return store.deleteExpired(System.currentTimeMillis());
    }

    private String openSession(String userId, long now) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        store.createSession(hash(token), userId, now, now + settings.sessionTtlMillis());
        return token;
    }

    private void ended(String userId, List<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        for (SessionsEnded l : listeners) {
            try {
                l.ended(userId, sessionIds);
            } catch (RuntimeException e) {
                log.warn("closing the connections of ended sessions of {} failed: {}", userId, e.toString());
            }
        }
    }

    /** Passwords are compared in NFKC, so the same password typed on two keyboards is the same password. */
    private static String normalizePassword(String password) {
        return password == null ? null : Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    private static AccountError wrong() {
        return new AccountError(401, "invalid_credentials", "wrong handle or password");
    }

    private static AccountError signedOut() {
        return new AccountError(401, "signed_out", "sign in again");
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
