package io.hibiki.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.account.DisplayNames;
import java.util.regex.Pattern;

/**
 * Who is behind a connection: a nickname and a stable user id from the handshake's {@code auth}
 * ({@code {nickname, userId, userToken}}). Clients that send none (the seed's) get a guest name and their socket
 * id; the server then tells them their id and its token (event {@code session}) to present next time.
 */
public record ChatUser(String userId, String nickname) {

    /** Whether the user has no account (guests are marked as such wherever they are shown). */
    boolean guest() {
        return !io.hibiki.chat.account.AccountIds.isAccount(userId);
    }

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int MAX_NICKNAME = DisplayNames.MAX_LENGTH;

    /**
     * The user behind a handshake. A {@code userId} counts only with the {@code userToken} the server issued for
     * it; anything else is a new identity (the socket id), so ids cannot be claimed.
     */
    static ChatUser from(JsonNode auth, String socketId, UserTokens tokens) {
        String userId = hasIdentity(auth, tokens) ? text(auth, "userId") : socketId;
        String nickname = text(auth, "nickname");
        // The handshake middleware refuses such names; stripping here keeps any other path from storing one.
        nickname = nickname == null ? "" : DisplayNames.strip(nickname);
        if (nickname.isEmpty()) {
            nickname = "guest-" + userId.substring(0, 5);
        }
        return new ChatUser(userId, truncate(nickname, MAX_NICKNAME).strip());
    }

    /** Whether a handshake's {@code auth} presents an identity the server issued (else it makes a new one). */
    static boolean hasIdentity(JsonNode auth, UserTokens tokens) {
        String userId = text(auth, "userId");
        return userId != null && USER_ID.matcher(userId).matches() && tokens.verify(userId, text(auth, "userToken"));
    }

    /** The nickname as the chat keeps it: NFKC (so look-alike full-width forms become one), trimmed. */
    static String normalize(String nickname) {
        return DisplayNames.normalize(nickname);
    }

    /** Why a nickname is refused, or null when it is fine (absent is fine: the user becomes a guest). */
    static String nicknameProblem(String nickname) {
        return nickname == null ? null : DisplayNames.problem(nickname, "nickname");
    }

    /** Whether a string has the form of a user id (not whether such a user exists). */
    static boolean isValidId(String id) {
        return id != null && USER_ID.matcher(id).matches();
    }

    /** At most {@code max} UTF-16 units of {@code s}, never half of a surrogate pair. */
    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static String text(JsonNode auth, String field) {
        JsonNode n = auth == null ? null : auth.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
