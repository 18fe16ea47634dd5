package io.hibiki.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link ChatServer} on a free loopback port with its own data directory, for the {@code *IT} classes, plus
 * plain HTTP helpers. Rate and per-address limits are off or high unless a test sets them: only the tests about them need them.
 */
final class ChatFixture implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ChatConfig config;
    private ChatServer server;
    private int port;

    private ChatFixture(ChatConfig config) throws Exception {
        this.config = config;
        startServer();
    }

    /** Starts a server with data under {@code dataDir}; {@code settings} are NAME=value pairs that override. */
    static ChatFixture start(Path dataDir, String... settings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("DATA_DIR", dataDir.toString());
        env.put("EVENTS_PER_SECOND", "1000");
        env.put("EVENT_BURST", "1000");
        // Every test client comes from 127.0.0.1: the per-address limits are for the tests about them.
        env.put("MAX_CONNECTIONS_PER_IP", "0");
        env.put("HANDSHAKES_PER_SECOND_PER_IP", "0");
        env.put("NEW_USERS_PER_HOUR_PER_IP", "0");
        env.put("NEW_CONVERSATIONS_PER_HOUR_PER_IP", "0");
        env.put("UPLOADS_PER_MINUTE", "100000");
        env.put("CHAT_SECRET", ChatClients.SECRET);
        for (String s : settings) {
            int eq = s.indexOf('=');
            env.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return new ChatFixture(ChatConfig.from(env));
    }

    /**
     * Starts a server on the embedded store ({@code "h2"}) or on a fresh PostgreSQL database of this name
     * ({@code "postgres"}), with the account limits off (the tests about them set their own).
     */
    static ChatFixture onStore(String store, String database, Path dataDir, String... settings) throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>();
        if (store.equals("postgres")) {
            all.add("DATABASE_URL=" + TestDatabases.fresh(database));
        }
        all.add("SIGNINS_PER_MINUTE_PER_IP=0");
        all.add("SIGNUPS_PER_HOUR_PER_IP=0");
        all.addAll(java.util.List.of(settings));
        return start(dataDir, all.toArray(String[]::new));
    }

    private void startServer() throws Exception {
        server = new ChatServer(config);
        port = server.start();
    }

    /** Stops the server and starts a new one on the same settings and data (on a new port). */
    void restart() throws Exception {
        server.close();
        startServer();
    }

    ChatConfig config() {
        return config;
    }

    ChatServer server() {
        return server;
    }

    int port() {
        return port;
    }

    String url() {
        return (config.tls() ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** Node socket.io-client connections to this server. */
    ChatClients clients() {
        return ChatClients.start(url());
    }

    /** A request to a path (sent exactly as written: no normalisation), with header name/value pairs. */
    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return HTTP.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        return HTTP.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        return HTTP.send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
