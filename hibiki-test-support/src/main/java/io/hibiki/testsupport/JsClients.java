package io.hibiki.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unmodified socket.io-client 4.8 clients in Node ({@code sio-puppet.mjs}), started against a server with a script
 * of emits each client runs once connected. Every wait is bounded and fails with the script's output.
 */
public final class JsClients implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeScript script;

    private JsClients(NodeScript script) {
        this.script = script;
    }

    /**
     * @param transports {@code polling,websocket} (polling, then the upgrade) or {@code websocket}
     * @param commands   what each client does once connected, in order
     */
    public static JsClients start(int port, String transports, int clients, List<Map<String, Object>> commands,
                           String... extra) {
        List<String> args = new ArrayList<>(List.of("--url=http://127.0.0.1:" + port, "--transports=" + transports,
                "--clients=" + clients, "--limit=60000"));
        try {
            args.add("--do=" + JSON.writeValueAsString(commands));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        args.addAll(List.of(extra));
        return new JsClients(NodeScript.start("sio-puppet.mjs", args.toArray(String[]::new)));
    }

    /** A client's acknowledged emit, reported under {@code tag}. */
    public static Map<String, Object> emitWithAck(String tag, String event, Object... args) {
        return Map.of("op", "emit", "event", event, "ack", true, "tag", tag, "args", List.of(args));
    }

    /** A {@code {"$bin": [...]}} argument: binary on the client's side. */
    public static Map<String, Object> bin(int... bytes) {
        return Map.of("$bin", java.util.Arrays.stream(bytes).boxed().toList());
    }

    private static boolean is(JsonNode e, String event, int client) {
        return event.equals(e.path("event").asText()) && e.path("client").asInt(-1) == client;
    }

    /** Waits until {@code client} is connected; returns its socket id. */
    public String awaitConnect(int client) {
        return script.await(e -> is(e, "connect", client), WAIT).get("id").asText();
    }

    /** Waits for the answer to the emit tagged {@code tag}: {@code {err, args}}. */
    public JsonNode awaitAck(int client, String tag) {
        return script.await(e -> is(e, "ack", client) && tag.equals(e.path("tag").asText()), WAIT);
    }

    /** Waits until {@code client} has received an event {@code name} whose arguments satisfy {@code test}. */
    public JsonNode awaitReceived(int client, String name, java.util.function.Predicate<JsonNode> test) {
        return script.await(e -> is(e, "recv", client) && name.equals(e.path("name").asText())
                && test.test(e.get("args")), WAIT).get("args");
    }

    /** Waits until {@code client} was refused: {@code {message, data}}. */
    public JsonNode awaitConnectError(int client) {
        return script.await(e -> is(e, "connect_error", client), WAIT);
    }

    public JsonNode awaitUpgrade(int client) {
        return script.await(e -> is(e, "upgrade", client), WAIT);
    }

    public String awaitDisconnect(int client) {
        return script.await(e -> is(e, "disconnect", client), WAIT).get("reason").asText();
    }

    public String diagnostics() {
        return script.diagnostics();
    }

    @Override
    public void close() {
        script.close();
    }
}
