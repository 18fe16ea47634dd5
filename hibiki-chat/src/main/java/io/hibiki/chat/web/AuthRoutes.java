package io.hibiki.chat.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.chat.account.Account;
import io.hibiki.chat.account.AccountError;
import io.hibiki.chat.account.Accounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account routes under {@code /api/auth/}: JSON in, JSON out, the session in a cookie. Blocking (password
 * hashing, database): the handler runs them on the workers.
 *
 * <ul>
 *   <li>{@code GET me}: the signed-in account, or {@code user: null}; and whether guests may chat</li>
 *   <li>{@code POST signup {handle, password, displayName?, token?}}, {@code POST signin {handle, password,
 *       token?}}: open a session (the cookie; with {@code token: true} also its secret in the answer, for clients
 *       that are not browsers and present it as {@code auth.sessionToken})</li>
 *   <li>{@code POST signout}: ends the session and its connections</li>
 *   <li>{@code POST password {current, password}}: ends every other session</li>
 *   <li>{@code POST profile {displayName}}</li>
 * </ul>
 */
public final class AuthRoutes {

    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest request body the routes read. */
    public static final int MAX_BODY = 8 * 1024;

    /** An answer: status, JSON body, {@code Set-Cookie} values. */
    public record Answer(int status, Map<String, Object> body, List<String> cookies) {
    }

    /** What a request brings besides its body. */
    public record Request(String path, String cookieHeader, String address, boolean https) {
    }

    private final Accounts accounts;
    private final boolean guests;
    private final long cookieMaxAgeSeconds;
    private final Consumer<Account> renamed;

    /**
     * @param renamed told after an account's display name changed (its connections then pick up the new one)
     */
    public AuthRoutes(Accounts accounts, boolean guests, long cookieMaxAgeSeconds, Consumer<Account> renamed) {
        this.accounts = accounts;
        this.guests = guests;
        this.cookieMaxAgeSeconds = cookieMaxAgeSeconds;
        this.renamed = renamed;
    }

    static boolean isAuthPath(String path) {
        return path.startsWith("/api/auth/");
    }

    Answer get(Request r) {
        if (!r.path().equals("/api/auth/me")) {
            return error(404, "not_found", "no such route");
        }
        try {
            String token = SessionCookie.read(r.cookieHeader());
            Optional<Accounts.Authenticated> auth = token == null ? Optional.empty() : accounts.authenticate(token);
            Map<String, Object> body = ok();
            body.put("user", auth.map(a -> view(a.account())).orElse(null));
            body.put("guests", guests);
            // A cookie that no longer signs anyone in is dropped, so the page and its socket agree on who it is.
            List<String> cookies = token != null && auth.isEmpty() ? List.of(SessionCookie.clear(r.https())) : List.of();
            return new Answer(200, body, cookies);
        } catch (Exception e) {
            log.error("GET /api/auth/me failed", e);
            return error(503, "server_error", "accounts are unavailable; try again");
        }
    }

    Answer post(Request r, byte[] bytes) {
        JsonNode body;
        try {
            body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            return error(400, "bad_json", "the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            return error(400, "bad_json", "the body must be a JSON object");
        }
        String token = SessionCookie.read(r.cookieHeader());
        try {
            switch (r.path()) {
                case "/api/auth/signup": {
                    Accounts.SignedIn s = accounts.signUp(text(body, "handle"), text(body, "password"),
                            text(body, "displayName"), r.address());
                    return signedIn(201, s, body, r);
                }
                case "/api/auth/signin": {
                    Accounts.SignedIn s = accounts.signIn(text(body, "handle"), text(body, "password"), r.address());
                    return signedIn(200, s, body, r);
                }
                case "/api/auth/signout": {
                    String t = token != null ? token : text(body, "token");
                    if (t != null) {
                        accounts.signOut(t);
                    }
                    return new Answer(200, ok(), List.of(SessionCookie.clear(r.https())));
                }
                case "/api/auth/password": {
                    Account a = accounts.changePassword(token != null ? token : text(body, "token"),
                            text(body, "current"), text(body, "password"));
                    Map<String, Object> answer = ok();
                    answer.put("user", view(a));
                    return new Answer(200, answer, List.of());
                }
                case "/api/auth/profile": {
                    Account a = accounts.rename(token != null ? token : text(body, "token"), text(body, "displayName"));
                    renamed.accept(a);
                    Map<String, Object> answer = ok();
                    answer.put("user", view(a));
                    return new Answer(200, answer, List.of());
                }
                default:
                    return error(404, "not_found", "no such route");
            }
        } catch (AccountError e) {
            return error(e.status(), e.code(), e.getMessage());
        } catch (Exception e) {
            log.error("POST {} failed", r.path(), e);
            return error(503, "server_error", "accounts are unavailable; try again");
        }
    }

    private Answer signedIn(int status, Accounts.SignedIn s, JsonNode body, Request r) {
        Map<String, Object> answer = ok();
        answer.put("user", view(s.account()));
        if (body.path("token").asBoolean(false)) {
            answer.put("token", s.token());
        }
        return new Answer(status, answer, List.of(SessionCookie.set(s.token(), cookieMaxAgeSeconds, r.https())));
    }

    static Map<String, Object> view(Account a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("userId", a.userId());
        v.put("handle", a.handle());
        v.put("displayName", a.displayName());
        v.put("admin", a.admin());
        return v;
    }

    private static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        return m;
    }

    static Answer error(int status, String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", code);
        m.put("message", message);
        return new Answer(status, m, new ArrayList<>());
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
