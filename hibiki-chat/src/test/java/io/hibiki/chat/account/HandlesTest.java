package io.hibiki.chat.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandlesTest {

    @Test
    void formsOfOneHandleShareAKey() {
        String key = Handles.key("alice");
        for (String same : List.of("Alice", "ALICE", " alice ", "\uff41\uff4c\uff49\uff43\uff45", "ａｌｉｃｅ")) {
            assertEquals(key, Handles.key(same), same);
        }
        assertNotEquals(key, Handles.key("alice2"));
        assertEquals(Handles.key("Ǆemal"), Handles.key("ǆemal"), "title-case digraphs fold too");
    }

    @Test
    void acceptableHandles() {
        for (String ok : List.of("al", "alice", "alice.b", "a_l-i.c3", "Ωμέγα", "алиса", "ゆう太", "김민준", "x".repeat(32))) {
            assertNull(Handles.problem(ok), ok);
        }
    }

    @Test
    void refusedHandles() {
        for (String bad : List.of("", " ", "a", "x".repeat(33), "alice\u200b", "\u200balice", "al\u202eice",
                "ali\u0007ce", "al ice", "_alice", ".alice", "alice@example", "\u0430lice", "paypa\u04cf",
                "alice\u3164", "a\u2800b", "\u03a9mega")) {
            assertNotNull(Handles.problem(bad), bad);
        }
    }
}
