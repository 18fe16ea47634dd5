package io.hibiki.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Who is behind a connection: a nickname and a stable user id from the handshake's {@code auth}
 * ({@code {nickname, userId, userToken}}). Clients that send none (the seed's) get a guest name and their socket
 * id; the server then tells them their id and its token (event {@code session}) to present next time.
 */
public record ChatUser(String userId, String nickname) {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int MAX_NICKNAME = 32;
    /** Control characters, and the bidirectional overrides that would let a name display as another. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cntrl}\\u202A-\\u202E\\u2066-\\u2069]");

    /**
     * The user behind a handshake. A {@code userId} counts only with the {@code userToken} the server issued for
     * it; anything else is a new identity (the socket id), so ids cannot be claimed.
     */
    static ChatUser from(JsonNode auth, String socketId, UserTokens tokens) {
        String userId = text(auth, "userId");
        if (userId == null || !USER_ID.matcher(userId).matches() || !tokens.verify(userId, text(auth, "userToken"))) {
            userId = socketId;
        }
        String nickname = text(auth, "nickname");
        nickname = nickname == null ? "" : INVISIBLE.matcher(nickname).replaceAll("").strip();
        if (nickname.isEmpty()) {
            nickname = "guest-" + userId.substring(0, 5);
        }
        return new ChatUser(userId, truncate(nickname, MAX_NICKNAME).strip());
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
