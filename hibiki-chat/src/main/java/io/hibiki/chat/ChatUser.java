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
    /**
     * Characters that do not show, or change how the rest shows: controls, format characters (zero-width spaces and
     * joiners, bidirectional overrides, the BOM), and the Hangul and braille blanks that render as nothing. With
     * them {@code alice} and {@code alice}+U+200B would be two users who look the same.
     */
    private static final Pattern INVISIBLE = Pattern.compile(
            "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\u115F\\u1160\\u2800\\u3164\\uFFA0\\u034F\\uFE00-\\uFE0F]");

    /**
     * The user behind a handshake. A {@code userId} counts only with the {@code userToken} the server issued for
     * it; anything else is a new identity (the socket id), so ids cannot be claimed.
     */
    static ChatUser from(JsonNode auth, String socketId, UserTokens tokens) {
        String userId = hasIdentity(auth, tokens) ? text(auth, "userId") : socketId;
        String nickname = text(auth, "nickname");
        // The handshake middleware refuses such names; stripping here keeps any other path from storing one.
        nickname = nickname == null ? "" : INVISIBLE.matcher(normalize(nickname)).replaceAll("").strip();
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
        return java.text.Normalizer.normalize(nickname, java.text.Normalizer.Form.NFKC).strip();
    }

    /** Why a nickname is refused, or null when it is fine (absent is fine: the user becomes a guest). */
    static String nicknameProblem(String nickname) {
        if (nickname == null) {
            return null;
        }
        String n = normalize(nickname);
        if (INVISIBLE.matcher(n).find()) {
            return "nickname contains invisible or control characters";
        }
        if (n.length() > MAX_NICKNAME) {
            return "nickname is longer than " + MAX_NICKNAME + " characters";
        }
        return null;
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
