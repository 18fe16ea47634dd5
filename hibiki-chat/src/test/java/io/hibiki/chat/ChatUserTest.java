package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who a connection is, from its handshake's auth. */
class ChatUserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOCKET = "AbCdEfGhIjKlMnOpQrSt";

    private static final UserTokens TOKENS = new UserTokens("test-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static ChatUser from(Map<String, Object> auth) {
        return ChatUser.from(JSON.valueToTree(auth), SOCKET, TOKENS);
    }

    @Test
    void takesNicknameAndUserIdFromAuthWhenTheTokenIsTheServers() {
        assertEquals(new ChatUser("user-0001-abc", "Alice"), from(Map.of("nickname", "Alice", "userId",
                "user-0001-abc", "userToken", TOKENS.sign("user-0001-abc"))));
    }

    @Test
    void aUserIdClaimedWithoutItsTokenIsIgnored() {
        assertEquals(SOCKET, from(Map.of("nickname", "Mallory", "userId", "user-0001-abc")).userId());
        assertEquals(SOCKET, from(Map.of("nickname", "Mallory", "userId", "user-0001-abc",
                "userToken", TOKENS.sign("user-0002-abc"))).userId());
        assertEquals(SOCKET, ChatUser.from(JSON.valueToTree(Map.of("userId", "user-0001-abc",
                "userToken", TOKENS.sign("user-0001-abc"))), SOCKET,
                new UserTokens("another-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8))).userId());
    }

    @Test
    void withoutAuthAGuestIsNamedAfterItsSocket() {
        assertEquals(new ChatUser(SOCKET, "guest-AbCdE"), ChatUser.from(null, SOCKET, TOKENS));
        assertEquals(new ChatUser(SOCKET, "guest-AbCdE"), from(Map.of()));
        assertEquals(new ChatUser(SOCKET, "guest-AbCdE"), from(Map.of("nickname", " \t ", "userId", 12345678)));
    }

    @Test
    void invalidUserIdsFallBackToTheSocketId() {
        for (String bad : new String[] {"short", "has space in it", "user:0001:x", "x".repeat(65), "../../etc"}) {
            assertEquals(SOCKET, from(Map.of("nickname", "A", "userId", bad, "userToken", TOKENS.sign(bad))).userId(),
                    bad);
        }
    }

    @Test
    void nicknamesLoseInvisibleCharactersAndAreCappedWholeCharacters() {
        assertEquals("bob", from(Map.of("nickname", "\u0007 b\u0000o\u202Eb\n ")).nickname());
        String emojiAtTheEdge = "a".repeat(31) + "\uD83D\uDE00";
        String capped = from(Map.of("nickname", emojiAtTheEdge)).nickname();
        assertEquals("a".repeat(31), capped);
        assertEquals("a".repeat(32), from(Map.of("nickname", "a".repeat(40))).nickname());
        assertEquals("<b>x</b>", from(Map.of("nickname", "<b>x</b>")).nickname(), "markup is the UI's job");
    }

    @Test
    void nicknamesThatDisplayAsAnotherAreRefusedAndLookAlikesFolded() {
        assertEquals(null, ChatUser.nicknameProblem("alice"));
        assertEquals(null, ChatUser.nicknameProblem(null));
        for (String bad : List.of("alice\u200B", "al\u200Dice", "\u202Eecila", "alice\u0000", "ali\u3164ce",
                "alice\uFEFF", "a".repeat(33))) {
            assertNotNull(ChatUser.nicknameProblem(bad), bad);
        }
        // Full-width letters are the same name as their ASCII forms.
        assertEquals("alice", from(Map.of("nickname", "\uFF41\uFF4C\uFF49\uFF43\uFF45")).nickname());
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String s = "ab\uD83D\uDE00cd";
        for (int max = 1; max <= s.length(); max++) {
            String t = ChatUser.truncate(s, max);
            assertFalse(!t.isEmpty() && Character.isHighSurrogate(t.charAt(t.length() - 1)), "cut at " + max);
        }
    }
}
