package io.hibiki.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.NodeScript;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java side of {@code sio-puppet.mjs}: reads what its clients report and builds the commands they obey.
 * Every wait is bounded by {@link SioFixture#WAIT} and fails with the script's output.
 */
final class Puppet implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final NodeScript script;

    Puppet(NodeScript script) {
        this.script = script;
    }

    NodeScript script() {
        return script;
    }

    /** A {@code --do} argument from commands. */
    static String doArg(Map<?, ?>... commands) {
        try {
            return "--do=" + JSON.writeValueAsString(List.of(commands));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An emit command: the client emits {@code event} with {@code args}; with {@code ack} it reports the answer. */
    static Map<String, Object> emitCmd(String event, boolean ack, Object... args) {
        return Map.of("op", "emit", "event", event, "ack", ack, "args", List.of(args));
    }

    /** A {@code {"$bin": [...]}} value: binary on the Node side. */
    static Map<String, Object> bin(int... bytes) {
        return Map.of("$bin", java.util.Arrays.stream(bytes).boxed().toList());
    }

    /** Sends a command from the server without waiting (for commands that end the connection). */
    static void tell(Socket socket, Map<String, Object> cmd) {
        socket.emit("cmd", cmd);
    }

    /** Sends a command from the server and waits until the client has carried it out. */
    static void command(Socket socket, Map<String, Object> cmd) {
        try {
            socket.timeout(SioFixture.WAIT).emitWithAck("cmd", cmd).get(SioFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("command " + cmd + " not carried out", e);
        }
    }

    private static boolean is(JsonNode e, String event, int client) {
        return event.equals(e.path("event").asText()) && e.path("client").asInt(-1) == client;
    }

    /** Events of one kind reported by one client so far. */
    List<JsonNode> events(String event, int client) {
        return script.events().stream().filter(e -> is(e, event, client)).toList();
    }

    /** Arguments of every {@code name} event client {@code client} received so far, in order. */
    List<JsonNode> received(int client, String name) {
        return events("recv", client).stream().filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.get("args")).toList();
    }

    /** Waits until client {@code client} has received {@code count} {@code name} events; returns their arguments. */
    List<JsonNode> awaitReceived(int client, String name, int count) {
        SioFixture.eventually(() -> {
            if (received(client, name).size() < count) {
                throw new AssertionError("client " + client + " has not received " + count + " \"" + name + "\"");
            }
        }, script.diagnostics());
        return received(client, name);
    }

    /** Waits for the n-th (0-based) report of {@code event} by a client. */
    JsonNode awaitEvent(String event, int client, int nth) {
        SioFixture.eventually(() -> {
            if (events(event, client).size() <= nth) {
                throw new AssertionError("client " + client + " has not reported " + event + " #" + nth);
            }
        }, script.diagnostics());
        return events(event, client).get(nth);
    }

    /** Waits until client {@code client} is connected; returns its socket id. */
    String awaitConnect(int client) {
        return awaitEvent("connect", client, 0).get("id").asText();
    }

    /** Waits for the answer to an acked emit made with {@code tag} (the event name by default). */
    JsonNode awaitAck(int client, String tag) {
        return script.await(e -> is(e, "ack", client) && tag.equals(e.path("tag").asText()), SioFixture.WAIT);
    }

    JsonNode awaitConnectError(int client) {
        return awaitEvent("connect_error", client, 0);
    }

    String awaitDisconnect(int client) {
        return awaitEvent("disconnect", client, 0).get("reason").asText();
    }

    String diagnostics() {
        return script.diagnostics();
    }

    @Override
    public void close() {
        script.close();
    }
}
