package io.hibiki.spring.sample;

import static io.hibiki.testsupport.JsClients.bin;
import static io.hibiki.testsupport.JsClients.emitWithAck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hibiki.testsupport.JsClients;
import io.socket.client.IO;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the sample does on either web stack: REST and Socket.IO on one random port, driven by the unmodified JS client
 * 4.8 (polling with the upgrade, and WebSocket only) and the Java client 2.1.2; CORS; Prometheus; health.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SampleAppContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private SampleApp app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(JsClients.WAIT).build();

    /** {@code reactive} (WebFlux on Reactor Netty) or {@code servlet} (Spring MVC on Tomcat). */
    abstract String webApplicationType();

    @BeforeAll
    void start() {
        app = SampleApp.start("--spring.main.web-application-type=" + webApplicationType(),
                "--hibiki.socketio.cors.origins=http://allowed.example",
                "--spring.jackson.property-naming-strategy=SNAKE_CASE");
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port + path))
                .timeout(JsClients.WAIT);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restAndSocketIoShareTheApplicationsPort() throws Exception {
        HttpResponse<String> rest = get("/api/rooms/nobody-here/members");
        assertEquals(200, rest.statusCode(), rest.body());
        assertEquals("[]", rest.body());
        HttpResponse<String> handshake = get("/socket.io/?EIO=4&transport=polling");
        assertEquals(200, handshake.statusCode(), handshake.body());
        assertTrue(handshake.body().startsWith("0{\"sid\":"), handshake.body());
        HttpResponse<String> bundle = get("/socket.io/socket.io.min.js");
        assertEquals(200, bundle.statusCode());
        // Tomcat writes it without the space: "application/javascript;charset=utf-8".
        assertTrue(bundle.headers().firstValue("Content-Type").orElse("").startsWith("application/javascript"),
                bundle.headers().toString());
        String etag = bundle.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/socket.io/socket.io.min.js", "If-None-Match", etag).statusCode());
        assertEquals(404, get("/not-a-route").statusCode(), "other paths are the application's");
    }

    @Test
    void roomChatBetweenAPollingClientThatUpgradesAndAWebSocketOnlyOne() throws Exception {
        String room = "room-" + System.nanoTime();
        try (JsClients ws = JsClients.start(app.port, "websocket", 1,
                List.of(emitWithAck("joined", "join-room", room)))) {
            String wsId = ws.awaitConnect(0);
            assertEquals("[\"" + room + "\"]", ws.awaitAck(0, "joined").get("args").toString(), ws.diagnostics());
            try (JsClients polling = JsClients.start(app.port, "polling,websocket", 1,
                    List.of(emitWithAck("joined", "join-room", room),
                            emitWithAck("sent", "send-message-to-room", Map.of("room", room, "message", "hi"))))) {
                String pollingId = polling.awaitConnect(0);
                assertEquals("websocket", polling.awaitUpgrade(0).get("transport").asText());
                polling.awaitAck(0, "joined");
                JsonNode sent = polling.awaitAck(0, "sent");
                assertTrue(sent.get("err").isNull(), sent.toString());
                ws.awaitReceived(0, "user-joined", a -> a.get(0).asText().contains(pollingId));
                JsonNode msg = ws.awaitReceived(0, "receive-message", a -> true);
                assertEquals(Map.of("from", pollingId, "message", "hi"), JSON.convertValue(msg.get(0), Map.class));
                polling.awaitReceived(0, "receive-message", a -> a.get(0).get("from").asText().equals(pollingId));

                HttpResponse<String> members = get("/api/rooms/" + room + "/members");
                assertEquals(Map.of(wsId, true, pollingId, true),
                        JSON.readValue(members.body(), List.class).stream()
                                .collect(java.util.stream.Collectors.toMap(x -> x, x -> true)), members.body());
            }
        }
    }

    @Test
    void aRestCallReachesTheRoom() throws Exception {
        String room = "announce-" + System.nanoTime();
        try (JsClients client = JsClients.start(app.port, "websocket", 1,
                List.of(emitWithAck("joined", "join-room", room)))) {
            client.awaitAck(0, "joined");
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port + "/api/rooms/" + room + "/messages"))
                    .header("Content-Type", "text/plain").timeout(JsClients.WAIT)
                    .POST(HttpRequest.BodyPublishers.ofString("maintenance at noon")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            JsonNode msg = client.awaitReceived(0, "receive-message", a -> true);
            assertEquals("{\"from\":\"server\",\"message\":\"maintenance at noon\"}", msg.get(0).toString());
        }
    }

    @Test
    void annotatedHandlersBindBinaryTypedValuesFuturesAndErrors() {
        try (JsClients client = JsClients.start(app.port, "polling,websocket", 1,
                List.of(emitWithAck("reverse", "reverse", bin(1, 2, 3, 250)),
                        emitWithAck("greet", "greet", Map.of("first_name", "Ada", "age", 36), "Hello"),
                        emitWithAck("later", "later", 21),
                        emitWithAck("fail", "fail"),
                        emitWithAck("thread", "thread")), "--nsp=/test")) {
            client.awaitConnect(0);
            assertEquals("[{\"$bin\":[250,3,2,1]}]", client.awaitAck(0, "reverse").get("args").toString(),
                    client.diagnostics());
            // The application's Jackson 3 mapper is snake_case here: it binds the record and writes the answer.
            assertEquals("[{\"text\":\"Hello Ada (36)\",\"tags\":[\"a\",\"b\"]}]",
                    client.awaitAck(0, "greet").get("args").toString(), client.diagnostics());
            assertEquals("[42]", client.awaitAck(0, "later").get("args").toString());
            assertEquals("[{\"error\":\"refused on purpose\"}]", client.awaitAck(0, "fail").get("args").toString());
            String thread = client.awaitAck(0, "thread").get("args").get(0).asText();
            assertTrue(thread.startsWith("hibiki-handler-"), thread);
        }
    }

    @Test
    void theJavaClientJoinsARoomAndGetsItsAck() throws Exception {
        for (String transport : List.of("polling", "websocket")) {
            IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
                    .setTransports(new String[] {transport}).build();
            io.socket.client.Socket socket = IO.socket(URI.create("http://127.0.0.1:" + app.port), options);
            BlockingQueue<Object> seen = new ArrayBlockingQueue<>(16);
            socket.on("user-joined", a -> seen.add("user-joined:" + a[0]));
            socket.on(io.socket.client.Socket.EVENT_CONNECT, a -> seen.add("connect"));
            socket.connect();
            try {
                assertEquals("connect", seen.poll(20, TimeUnit.SECONDS), transport);
                String room = "java-" + transport;
                socket.emit("join-room", new Object[] {room}, a -> seen.add("ack:" + a[0]));
                List<Object> got = List.of(seen.poll(20, TimeUnit.SECONDS), seen.poll(20, TimeUnit.SECONDS));
                assertTrue(got.contains("ack:" + room), got.toString());
                assertTrue(got.contains("user-joined:User " + socket.id() + " has joined the room."), got.toString());
            } finally {
                socket.close();
            }
        }
    }

    @Test
    void corsAllowsTheConfiguredOriginAndRefusesOthers() throws Exception {
        HttpResponse<String> allowed = get("/socket.io/?EIO=4&transport=polling", "Origin", "http://allowed.example");
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals("http://allowed.example", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> denied = get("/socket.io/?EIO=4&transport=polling", "Origin", "http://evil.example");
        assertEquals(403, denied.statusCode(), denied.body());
        assertNull(denied.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    /** The value of one Prometheus sample line (name and labels as written), 0 when absent. */
    private static double sample(String scrape, String nameAndLabels) {
        return scrape.lines().filter(l -> l.startsWith(nameAndLabels + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(nameAndLabels.length() + 1).trim())).orElse(0.0);
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get("/actuator/prometheus");
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void prometheusCountsAScriptedSessionAndHealthIsUp() throws Exception {
        // On /test, where every client of these tests uses WebSocket in the end: on a servlet host a polling client
        // that vanishes is only noticed by the heartbeat, which would move the gauge of "/" while this test runs.
        String connects = "socketio_connects_total{namespace=\"/test\"}";
        String later = "socketio_events_received_total{event=\"later\",namespace=\"/test\"}";
        String connected = "socketio_sockets_connected{namespace=\"/test\"}";
        String joins = "socketio_events_received_total{event=\"join-room\",namespace=\"/\"}";
        String userJoined = "socketio_events_sent_total{event=\"user-joined\",namespace=\"/\"}";
        String before = scrape();
        String room = "metrics-" + System.nanoTime();
        try (JsClients clients = JsClients.start(app.port, "websocket", 3,
                List.of(emitWithAck("later", "later", 1)), "--nsp=/test");
             JsClients chat = JsClients.start(app.port, "websocket", 2,
                List.of(emitWithAck("joined", "join-room", room)))) {
            for (int i = 0; i < 3; i++) {
                clients.awaitAck(i, "later");
            }
            chat.awaitAck(0, "joined");
            chat.awaitAck(1, "joined");
            org.awaitility.Awaitility.await().atMost(JsClients.WAIT).untilAsserted(() -> {
                String during = scrape();
                assertEquals(sample(before, connects) + 3, sample(during, connects), during);
                assertEquals(sample(before, later) + 3, sample(during, later));
                assertEquals(sample(before, connected) + 3, sample(during, connected));
                assertEquals(sample(before, joins) + 2, sample(during, joins));
                // Each join tells everyone already in the room: 1 + 2 deliveries.
                assertEquals(sample(before, userJoined) + 3, sample(during, userJoined));
            });
        }
        org.awaitility.Awaitility.await().atMost(JsClients.WAIT).untilAsserted(() ->
                assertEquals(sample(before, connected), sample(scrape(), connected)));
        String after = scrape();
        assertTrue(after.contains("socketio_disconnects_total{namespace=\"/test\",reason=\"transport close\"}"), after);
        assertTrue(after.contains("socketio_payload_received_bytes_total"), after);

        HttpResponse<String> health = get("/actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode socketIo = JSON.readTree(health.body()).path("components").path("socketIo");
        assertEquals("UP", socketIo.path("status").asText(), health.body());
        assertTrue(socketIo.path("details").path("eventLoopsResponsive").asBoolean(), health.body());
    }

    @Test
    void aMiddlewareBeanRefusesAConnection() {
        try (JsClients refused = JsClients.start(app.port, "websocket", 1, List.of(), "--nsp=/test",
                "--auth={\"deny\":true}")) {
            JsonNode error = refused.awaitConnectError(0);
            assertEquals("denied by a middleware bean", error.get("message").asText(), refused.diagnostics());
            assertEquals(42, error.path("data").path("code").asInt());
        }
    }
}
