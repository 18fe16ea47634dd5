package io.hibiki.servlet;

import static io.hibiki.testsupport.JsClients.bin;
import static io.hibiki.testsupport.JsClients.emitWithAck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.socketio.SocketIoServer;
import io.hibiki.testsupport.JsClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Socket.IO through {@link EngineFilter} in Tomcat 11 and Jetty 12 (Jakarta Servlet 6.1, Jakarta WebSocket 2.2), with
 * the unmodified JS client 4.8: polling that upgrades and WebSocket only, acks with binary, broadcasts to a room, the
 * engine.io error table, and the application's own routes beside it.
 */
class ServletHostIT {

    private static final String PATH = "/api/socket_io";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(JsClients.WAIT).build();

    private static SocketIoServer server() {
        SocketIoServer io = SocketIoServer.builder().path(PATH).build();
        io.onConnection(s -> {
            s.on("echo", (args, ack) -> ack.send(args.values().toArray()));
            s.on("join", (args, ack) -> {
                s.join(args.get(0, String.class));
                ack.send("joined");
            });
            s.on("say", (args, ack) -> {
                io.to(args.get(0, String.class)).emit("said", args.get(1, String.class), s.id());
                ack.send();
            });
        });
        return io;
    }

    private HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(JsClients.WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void officialClientsOnBothTransports(String kind) throws Exception {
        SocketIoServer io = server();
        try (Container container = Container.start(kind, new EngineFilter(io.engine()), PATH)) {
            int port = container.port();
            try (JsClients ws = JsClients.start(port, "websocket", 1, List.of(emitWithAck("joined", "join", "r")),
                    "--path=" + PATH)) {
                // In the room before the other client speaks to it.
                ws.awaitAck(0, "joined");
                try (JsClients polling = JsClients.start(port, "polling,websocket", 1,
                        List.of(emitWithAck("echo", "echo", bin(1, 2, 255)),
                                emitWithAck("joined", "join", "r"),
                                emitWithAck("said", "say", "r", "hello")), "--path=" + PATH)) {
                    String pollingId = polling.awaitConnect(0);
                    assertEquals("[{\"$bin\":[1,2,255]}]", polling.awaitAck(0, "echo").get("args").toString(),
                            polling.diagnostics());
                    assertEquals("websocket", polling.awaitUpgrade(0).get("transport").asText(), polling.diagnostics());
                    polling.awaitAck(0, "said");
                    var said = ws.awaitReceived(0, "said", a -> true);
                    assertEquals("[\"hello\",\"" + pollingId + "\"]", said.toString(), ws.diagnostics());
                }
            }
        } finally {
            io.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void theErrorTableAndTheApplicationsRoutes(String kind) throws Exception {
        SocketIoServer io = server();
        try (Container container = Container.start(kind, new EngineFilter(io.engine()), PATH)) {
            int port = container.port();
            HttpResponse<String> unknownSid = get(port, PATH + "/?EIO=4&transport=polling&sid=nope");
            assertEquals(400, unknownSid.statusCode());
            assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", unknownSid.body());
            HttpResponse<String> badTransport = get(port, PATH + "/?EIO=4&transport=carrier-pigeon");
            assertEquals(400, badTransport.statusCode());
            assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", badTransport.body());
            HttpResponse<String> oldProtocol = get(port, PATH + "/?EIO=3&transport=polling");
            assertEquals(400, oldProtocol.statusCode());
            assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", oldProtocol.body());
            HttpResponse<String> handshake = get(port, PATH + "/?EIO=4&transport=polling");
            assertEquals(200, handshake.statusCode());
            assertTrue(handshake.body().startsWith("0{\"sid\":\""), handshake.body());
            HttpResponse<String> app = get(port, "/api/rooms");
            assertEquals(404, app.statusCode());
            assertEquals(Container.APP_ANSWER, app.body());
        } finally {
            io.close();
        }
    }
}
