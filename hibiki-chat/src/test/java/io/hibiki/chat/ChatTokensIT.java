package io.hibiki.chat;

import static io.hibiki.chat.ChatClients.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** User tokens expire unless used, and a user can end every other session (a stolen token stops working). */
class ChatTokensIT {

    @RegisterExtension
    static final SharedChat SHARED = new SharedChat("TOKEN_TTL_HOURS=720");
    private static final UserTokens TOKENS = new UserTokens(ChatClients.SECRET.getBytes(StandardCharsets.UTF_8));
    private final ChatClients clients = SHARED.clients();

    private static Map<String, Object> auth(String nickname, String token) {
        return Map.of("nickname", nickname, "userId", userId(nickname), "userToken", token);
    }

    private String sessionUser(String c) {
        return clients.await(c, "session", s -> true).path("userId").asText();
    }

    @Test
    void aTokenOlderThanItsLifetimeIsNotTaken() {
        long now = System.currentTimeMillis() / 1000;
        clients.connect("old", auth("olga", TOKENS.sign(userId("olga"), now - 31L * 24 * 3600)));
        assertNotEquals(userId("olga"), sessionUser("old"), "a 31-day-old token makes a new guest");
        clients.connect("recent", auth("olga", TOKENS.sign(userId("olga"), now - 29L * 24 * 3600)));
        JsonNode session = clients.await("recent", "session", s -> true);
        assertEquals(userId("olga"), session.path("userId").asText());
        String issued = session.path("userToken").asText().split("\\.")[0];
        assertTrue(Math.abs(Long.parseLong(issued) - now) < 60, "each connect hands out a fresh token: " + session);
    }

    @Test
    void revokingSessionsClosesTheOthersAndVoidsTheirTokens() {
        String stolen = TOKENS.sign(userId("rita"));
        clients.connect("mine", auth("rita", stolen));
        clients.connect("thief", auth("rita", stolen));
        assertEquals(userId("rita"), sessionUser("thief"));
        clients.ok("mine", "revoke-sessions");
        assertEquals("io server disconnect", clients.disconnected("thief"));
        // The second session event: the first came with the connect.
        clients.awaitCount("mine", "session", s -> true, 2);
        String fresh = clients.received("mine", "session").get(1).path("userToken").asText();
        clients.connect("thief2", auth("rita", stolen));
        assertNotEquals(userId("rita"), sessionUser("thief2"), "the old token no longer names rita");
        clients.connect("mine2", auth("rita", fresh));
        assertEquals(userId("rita"), sessionUser("mine2"), "the token handed out with the revocation works");
        clients.ok("mine", "send-message", Map.of("text", "still me"));
    }

    @Test
    void tokensAreCheckedToTheLetter() {
        String id = userId("tess");
        String token = TOKENS.sign(id);
        assertTrue(TOKENS.verify(id, token));
        assertFalse(TOKENS.verify(userId("other"), token));
        char last = token.charAt(token.length() - 1);
        assertFalse(TOKENS.verify(id, token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')));
        long future = System.currentTimeMillis() / 1000 + 3600;
        assertFalse(TOKENS.verify(id, TOKENS.sign(id, future)), "issued in the future");
        assertFalse(TOKENS.verify(id, "x." + token.substring(token.indexOf('.') + 1)));
    }
}
