package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Joining namespaces: auth and middleware, refusals, static and dynamic namespaces. */
class ConnectIT {

    @Test
    void authReachesMiddlewareAndRefusalCarriesMessageAndData() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            fx.io.use((socket, next) -> {
                String token = socket.handshake().auth().path("token").asText();
                seen.add("middleware:" + token);
                if (token.equals("good")) {
                    next.ok();
                } else {
                    next.fail("not authorized", Map.of("code", 401, "hint", List.of("log in", "retry")));
                }
            });
            fx.io.onConnection(socket -> seen.add("connection:" + socket.handshake().auth().path("token").asText()));

            Puppet refused = fx.puppet("--auth={\"token\":\"bad\"}");
            JsonNode error = refused.awaitConnectError(0);
            assertEquals("not authorized", error.get("message").asText());
            assertEquals(401, error.get("data").get("code").asInt());
            assertEquals("[\"log in\",\"retry\"]", error.get("data").get("hint").toString());
            assertEquals("middleware:bad", seen.poll(5, TimeUnit.SECONDS));

            Puppet accepted = fx.puppet("--auth={\"token\":\"good\",\"user\":\"ann\"}");
            accepted.awaitConnect(0);
            assertEquals("middleware:good", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("connection:good", seen.poll(5, TimeUnit.SECONDS));
            assertTrue(refused.events("connect", 0).isEmpty(), "the refused client never connected");
            assertEquals(1, fx.io.sockets().size());
            assertEquals("ann", fx.io.sockets().values().iterator().next().handshake().auth().get("user").asText());
        }
    }

    @Test
    void unknownNamespaceIsRefused() {
        try (SioFixture fx = SioFixture.start()) {
            Puppet p = fx.puppet("--nsp=/nope");
            assertEquals("Invalid namespace", p.awaitConnectError(0).get("message").asText());
            assertTrue(p.events("connect", 0).isEmpty());
        }
    }

    @Test
    void staticNamespaceHasItsOwnMiddlewareAndListeners() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            fx.io.use((socket, next) -> next.fail("main only"));
            fx.io.onConnection(socket -> seen.add("main"));
            Namespace admin = fx.io.of("/admin");
            admin.use((socket, next) -> {
                socket.data().put("role", "admin");
                next.ok();
            });
            admin.onConnection(socket -> socket.on("whoami", (args, ack) ->
                    ack.send(Map.of("nsp", socket.namespace().name(), "role", socket.data().get("role")))));

            Puppet p = fx.puppet("--nsp=/admin", doArg(emitCmd("whoami", true)));
            JsonNode answer = p.awaitAck(0, "whoami").get("args").get(0);
            assertEquals("/admin", answer.get("nsp").asText());
            assertEquals("admin", answer.get("role").asText());
            assertEquals(1, admin.sockets().size());
            assertTrue(fx.io.sockets().isEmpty());
            assertNull(seen.poll(), "the main namespace saw nothing");
            assertSame(admin, fx.io.of("admin"));
        }
    }

    @Test
    void dynamicNamespaceCreatesChildrenThatRunParentMiddlewareAndListeners() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SioFixture fx = SioFixture.start()) {
            ParentNamespace workspaces = fx.io.of(Pattern.compile("/workspace-\\d+"));
            workspaces.use((socket, next) -> {
                seen.add("middleware:" + socket.namespace().name());
                socket.data().put("checked", true);
                next.ok();
            });
            workspaces.onConnection(socket -> {
                seen.add("connection:" + socket.namespace().name());
                socket.on("where", (args, ack) ->
                        ack.send(Map.of("nsp", socket.namespace().name(), "checked", socket.data().get("checked"))));
            });

            Puppet p = fx.puppet("--nsp=/workspace-42", doArg(emitCmd("where", true)));
            JsonNode answer = p.awaitAck(0, "where").get("args").get(0);
            assertEquals("/workspace-42", answer.get("nsp").asText());
            assertTrue(answer.get("checked").asBoolean(), "the parent's middleware ran for the child");
            assertEquals("middleware:/workspace-42", seen.poll(5, TimeUnit.SECONDS));
            assertEquals("connection:/workspace-42", seen.poll(5, TimeUnit.SECONDS));
            assertEquals(List.of("/workspace-42"), workspaces.children().stream().map(Namespace::name).toList());
            assertSame(workspaces.children().iterator().next(), fx.io.of("/workspace-42"));

            Puppet other = fx.puppet("--nsp=/workspace-x");
            assertEquals("Invalid namespace", other.awaitConnectError(0).get("message").asText());
            assertEquals(1, workspaces.children().size());
        }
    }
}
