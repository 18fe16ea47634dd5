package io.hibiki.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Who is behind a connection: a nickname and a stable user id from the handshake's {@code auth}
 * ({@code {nickname, userId}}). Clients that send none (the seed's) get a guest name and their socket id.
 */
public record ChatUser(String userId, String nickname) {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int MAX_NICKNAME = 32;

    static ChatUser from(JsonNode auth, String socketId) {
        String userId = text(auth, "userId");
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            userId = socketId;
        }
        String nickname = text(auth, "nickname");
        nickname = nickname == null ? "" : nickname.strip().replaceAll("\\p{Cntrl}", "");
        if (nickname.isEmpty()) {
            nickname = "guest-" + userId.substring(0, 5);
        }
        if (nickname.length() > MAX_NICKNAME) {
            nickname = nickname.substring(0, MAX_NICKNAME);
        }
        return new ChatUser(userId, nickname);
    }

    private static String text(JsonNode auth, String field) {
        JsonNode n = auth == null ? null : auth.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
