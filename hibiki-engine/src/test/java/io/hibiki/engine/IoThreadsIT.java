package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** {@code ioThreads}: how many event loops serve the connections of a server that listens itself. */
class IoThreadsIT {

    private static Set<String> loopsServing(EngineOptions options, int sessions) throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        EngineServer server = new EngineServer(options);
        server.onConnection(s -> threads.add(Thread.currentThread().getName()));
        try {
            int port = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
            for (int i = 0; i < sessions; i++) {
                // A new client each time: a new connection, which the server assigns to its next loop.
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/engine.io/?EIO=4&transport=polling")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
            }
        } finally {
            server.close();
        }
        return threads;
    }

    @Test
    void oneIoThreadServesEveryConnectionAndMoreSpreadThem() throws Exception {
        assertEquals(1, loopsServing(EngineOptions.builder().ioThreads(1).build(), 6).size());
        assertEquals(3, loopsServing(EngineOptions.builder().ioThreads(3).build(), 6).size(),
                "connections go round the loops");
    }
}
