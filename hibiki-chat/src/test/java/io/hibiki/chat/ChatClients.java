package io.hibiki.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.NodeScript;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Named socket.io-client connections in one Node process ({@code chat-client.mjs}), driven from the test: open
 * clients, emit (with or without an ack), and wait for what they receive. Everything a client receives is kept,
 * so a test can also check what did <em>not</em> arrive once a later event proves the earlier one would have.
 */
final class ChatClients implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeScript script;
    private final AtomicInteger tags = new AtomicInteger();

    private ChatClients(NodeScript script) {
        this.script = script;
    }

    static ChatClients start(String url) {
        return new ChatClients(NodeScript.start("chat-client.mjs", "--url=" + url, "--limit=90000"));
    }

    /** Auth for a named user: {@code {nickname, userId}} with a valid userId derived from the nickname. */
    /** The secret {@link ChatFixture} gives its servers, so that tests can present valid user tokens. */
    static final String SECRET = "chat-test-secret";
    private static final UserTokens TOKENS = new UserTokens(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    static Map<String, Object> user(String nickname) {
        String id = userId(nickname);
        return Map.of("nickname", nickname, "userId", id, "userToken", TOKENS.sign(id));
    }

    /** The headers an upload by this user carries (name, value, name, value). */
    static String[] uploadIdentity(String nickname) {
        String id = userId(nickname);
        return new String[] {"X-Chat-User", id, "X-Chat-Token", TOKENS.sign(id)};
    }

    static String userId(String nickname) {
        return "user-" + nickname + "-0001";
    }

    private void command(Map<String, Object> command) {
        try {
            script.send(JSON.writeValueAsString(command));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Opens client {@code c} with socket.io-client options ({@code path, addTrailingSlash, auth, transports,
     * reconnection, extraHeaders}).
     */
    ChatClients open(String c, Map<String, Object> options) {
        Map<String, Object> cmd = new LinkedHashMap<>(options);
        cmd.put("op", "open");
        cmd.put("c", c);
        command(cmd);
        return this;
    }

    /** Opens client {@code c} at the default path with these auth values, and waits until it is connected. */
    JsonNode connect(String c, Map<String, Object> auth) {
        open(c, Map.of("auth", auth));
        return connected(c, 1);
    }

    /** Waits for the {@code n}-th connect of client {@code c}. */
    JsonNode connected(String c, int n) {
        return line(e -> e.path("event").asText().equals("connect") && e.path("c").asText().equals(c)
                && e.path("n").asInt() == n);
    }

    /** Emits without an ack. */
    void emit(String c, String event, Object... args) {
        command(Map.of("op", "emit", "c", c, "event", event, "args", List.of(args)));
    }

    /** Emits the same event {@code times} times in a row without acks, as fast as the client can. */
    void burst(String c, int times, String event, Object... args) {
        command(Map.of("op", "emit", "c", c, "event", event, "args", List.of(args), "repeat", times));
    }

    /** Waits for every "ack" line of a {@link #flood} tag, in the order the answers came. */
    List<JsonNode> acks(String tag, int n) {
        int[] seen = {0};
        line(e -> e.path("event").asText().equals("ack") && e.path("tag").asText().equals(tag) && ++seen[0] >= n);
        return script.events().stream()
                .filter(e -> e.path("event").asText().equals("ack") && e.path("tag").asText().equals(tag)).toList();
    }

    /**
     * Emits the same event {@code times} times in a row with acks, as fast as the client can; the answers are
     * reported as "ack" lines with the returned tag.
     */
    String flood(String c, int times, String event, Object... args) {
        String tag = "t" + tags.incrementAndGet();
        // Held events are answered as the budget allows: give the last ones time (at 10/s, 50 held take 5 s).
        command(Map.of("op", "emit", "c", c, "event", event, "args", List.of(args), "ack", true, "tag", tag,
                "repeat", times, "timeout", WAIT.toMillis()));
        return tag;
    }

    /** Emits with an ack and returns the server's answer (its first argument). */
    JsonNode request(String c, String event, Object... args) {
        return request(c, Duration.ofSeconds(5), event, args);
    }

    /** As {@link #request(String, String, Object...)}, with the client's ack timeout (under {@link #WAIT}). */
    JsonNode request(String c, Duration ackTimeout, String event, Object... args) {
        String tag = "t" + tags.incrementAndGet();
        command(Map.of("op", "emit", "c", c, "event", event, "args", List.of(args), "ack", true, "tag", tag,
                "timeout", ackTimeout.toMillis()));
        JsonNode ack = line(e -> e.path("event").asText().equals("ack") && e.path("tag").asText().equals(tag));
        assertTrue(ack.path("err").isNull(), () -> event + " was not acknowledged: " + ack);
        return ack.path("value");
    }

    /** Like {@link #request}, and checks the answer is {@code ok: true}. */
    JsonNode ok(String c, String event, Object... args) {
        JsonNode answer = request(c, event, args);
        assertTrue(answer.path("ok").asBoolean(), () -> event + " failed: " + answer);
        return answer;
    }

    /** Like {@link #request}, and checks the answer is the error {@code code}. */
    JsonNode refused(String c, String code, String event, Object... args) {
        JsonNode answer = request(c, event, args);
        assertEquals(false, answer.path("ok").asBoolean(true), () -> event + " was accepted: " + answer);
        assertEquals(code, answer.path("error").asText(), () -> event + " answered " + answer);
        return answer;
    }

    /** Waits until client {@code c} receives {@code name} with a first argument matching {@code p}; returns it. */
    JsonNode await(String c, String name, Predicate<JsonNode> p) {
        return line(isRecv(c, name).and(e -> p.test(e.path("args").path(0)))).path("args").path(0);
    }

    /** Waits until client {@code c} has received {@code n} {@code name} events whose first argument matches. */
    void awaitCount(String c, String name, Predicate<JsonNode> p, int n) {
        Predicate<JsonNode> matching = isRecv(c, name).and(e -> p.test(e.path("args").path(0)));
        int[] seen = {0};
        // NodeScript.await tests each line once, in order: counting in the predicate is exact.
        line(e -> matching.test(e) && ++seen[0] >= n);
    }

    /** Waits until client {@code c} receives a {@code receive-message} with this text. */
    JsonNode awaitMessage(String c, String text) {
        return await(c, "receive-message", m -> text.equals(m.path("text").asText()));
    }

    /** The first arguments of every {@code name} event client {@code c} has received so far. */
    List<JsonNode> received(String c, String name) {
        return script.events().stream().filter(isRecv(c, name)).map(e -> e.path("args").path(0)).toList();
    }

    /** The first line matching {@code p} (already printed or still to come). */
    JsonNode line(Predicate<JsonNode> p) {
        return script.await(p, WAIT);
    }

    /** Closes client {@code c}'s engine connection under it ("transport close"). */
    void drop(String c) {
        command(Map.of("op", "drop", "c", c));
    }

    /** Reconnects client {@code c} by hand. */
    void reconnect(String c) {
        command(Map.of("op", "connect", "c", c));
    }

    void disconnect(String c) {
        command(Map.of("op", "disconnect", "c", c));
    }

    /** Waits for client {@code c}'s disconnect and returns its reason. */
    String disconnected(String c) {
        return line(e -> e.path("event").asText().equals("disconnect") && e.path("c").asText().equals(c))
                .path("reason").asText();
    }

    private static Predicate<JsonNode> isRecv(String c, String name) {
        return e -> e.path("event").asText().equals("recv") && e.path("c").asText().equals(c)
                && e.path("name").asText().equals(name);
    }

    String diagnostics() {
        return script.diagnostics();
    }

    @Override
    public void close() {
        script.close();
    }
}
