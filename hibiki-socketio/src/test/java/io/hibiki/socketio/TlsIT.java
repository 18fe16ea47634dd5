package io.hibiki.socketio;

import static io.hibiki.socketio.Puppet.doArg;
import static io.hibiki.socketio.Puppet.emitCmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.engine.ServerTls;
import io.hibiki.testsupport.TestCertificates;
import io.hibiki.testsupport.TestCertificates.Issued;
import io.hibiki.testsupport.TestCertificates.KeyFormat;
import io.socket.client.IO;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTPS and {@code wss://} from PEM files made by a throwaway CA, with the official clients trusting that CA only:
 * the JS client over WebSocket and over long-polling with its upgrade, the Java client on both transports and both
 * TLS engines; a renewed certificate reaches new connections without dropping the open ones, and a key that does
 * not belong to its certificate is never put in service.
 */
class TlsIT {

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static Path caFile;

    @BeforeAll
    static void authority() {
        ca = TestCertificates.newAuthority("Hibiki TlsIT CA");
        caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    }

    private static SioFixture start(ServerTls tls) {
        SioFixture fx = SioFixture.start(b -> b.engine(e -> e.tls(tls)))
                .nodeEnv(Map.of("NODE_EXTRA_CA_CERTS", caFile.toString()));
        fx.io.onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
        return fx;
    }

    /** What a new connection is shown, seen by a client that trusts the test CA (and offers h2 first). */
    private static SSLSocket handshake(int port) throws IOException {
        SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        params.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    private static X509Certificate served(int port) throws IOException {
        try (SSLSocket s = handshake(port)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void nodeClientOverWebSocketAndOverPollingWithItsUpgrade() throws Exception {
        Issued cert = ca.issueServer(dir, "node");
        try (SioFixture fx = start(ServerTls.fromPem(cert.chainFile(), cert.keyFile()))) {
            Puppet ws = fx.puppet("--transports=websocket", doArg(emitCmd("echo", true, "over wss")));
            assertEquals("websocket", ws.awaitEvent("connect", 0, 0).get("transport").asText());
            assertEquals("over wss", ws.awaitAck(0, "echo").get("args").get(0).asText());

            // Opened over HTTPS long-polling (the default), then upgraded: the connect may come before or after.
            Puppet polling = fx.puppet("--transports=polling,websocket");
            assertEquals("websocket", polling.awaitEvent("upgrade", 0, 0).get("transport").asText());
            Socket server = fx.io.sockets().get(polling.awaitConnect(0));
            SioFixture.eventually(() -> assertEquals("websocket", server.conn().transport().wireName()),
                    polling.script().diagnostics());
            assertTrue(server.handshake().secure(), "the handshake is known to be over TLS");
            Args answer = server.timeout(Duration.ofSeconds(5)).emitWithAck("question", "after upgrade")
                    .get(10, TimeUnit.SECONDS);
            assertEquals("after upgrade", answer.getString(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void javaClientOnBothEngines(String transport) throws Exception {
        Issued cert = ca.issueServer(dir, "java-" + transport);
        ServerTls nativeTls = ServerTls.fromPem(cert.chainFile(), cert.keyFile());
        assertTrue(nativeTls.engineName().startsWith("OpenSSL"),
                "netty-tcnative-boringssl-static is on the test class path: " + nativeTls.engineName());
        for (ServerTls tls : new ServerTls[] {nativeTls,
                ServerTls.fromPemWithJdkEngine(cert.chainFile(), cert.keyFile())}) {
            try (SioFixture fx = start(tls)) {
                try (SSLSocket s = handshake(fx.port)) {
                    assertEquals("http/1.1", s.getApplicationProtocol(), "ALPN");
                    assertEquals("TLSv1.3", s.getSession().getProtocol());
                }
                OkHttpClient http = new OkHttpClient.Builder()
                        .sslSocketFactory(ca.clientContext().getSocketFactory(), ca.trustManager()).build();
                IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
                        .setTransports(new String[] {transport}).build();
                options.callFactory = http;
                options.webSocketFactory = http;
                io.socket.client.Socket client = IO.socket(URI.create(fx.url()), options);
                fx.closeLater(client::close);
                BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
                client.on(io.socket.client.Socket.EVENT_CONNECT, a -> client.emit("echo",
                        new Object[] {"java over " + tls.engineName()}, ack -> answers.add(ack[0])));
                client.connect();
                assertEquals("java over " + tls.engineName(), answers.poll(10, TimeUnit.SECONDS), tls.engineName());
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
        }
    }

    @Test
    void aRenewedCertificateReachesNewConnectionsAndTheOpenOnesStay() throws Exception {
        Issued first = ca.issueServer(dir, "renewed", KeyFormat.TRADITIONAL);
        ServerTls tls = ServerTls.fromPem(first.chainFile(), first.keyFile()).reloadEvery(Duration.ofMillis(100));
        try (SioFixture fx = start(tls)) {
            Puppet p = fx.puppet("--transports=websocket");
            Socket open = fx.io.sockets().get(p.awaitConnect(0));
            assertEquals(first.certificate(), served(fx.port));

            Issued second = ca.issueServer(dir, "renewed", KeyFormat.PKCS8);
            SioFixture.eventually(() -> assertEquals(second.certificate(), served(fx.port)),
                    "the renewed certificate was never served");
            assertEquals(second.certificate(), tls.certificate());
            assertEquals("still here", open.timeout(Duration.ofSeconds(5)).emitWithAck("question", "still here")
                    .get(10, TimeUnit.SECONDS).getString(0), "the connection opened before the renewal works");
            assertTrue(p.events("disconnect", 0).isEmpty(), "no disconnect: " + p.script().diagnostics());
            Puppet late = fx.puppet("--transports=websocket", doArg(emitCmd("echo", true, "new cert")));
            assertEquals("new cert", late.awaitAck(0, "echo").get("args").get(0).asText());
        }
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsNeverServed() throws Exception {
        Issued good = ca.issueServer(dir, "mismatch");
        Issued other = ca.issueServer(dir, "other");
        // Refused at start: the operator learns at once, not when the first browser fails.
        IOException atStart = assertThrows(IOException.class,
                () -> ServerTls.fromPem(good.chainFile(), other.keyFile()));
        assertTrue(atStart.getMessage().contains("does not work with the certificate"), atStart.getMessage());

        ServerTls tls = ServerTls.fromPem(good.chainFile(), good.keyFile()).reloadEvery(Duration.ZERO);
        try (SioFixture fx = start(tls)) {
            // A renewal caught half-way: the new key is in place, the certificate is still the old one.
            Issued renewal = ca.issueServer(dir, "renewal");
            TestCertificates.writeAtomically(good.keyFile(), Files.readString(renewal.keyFile()));
            assertFalse(tls.reloadIfChanged(), "a key without its certificate is not loaded");
            assertEquals(good.certificate(), served(fx.port), "the last good pair is still served");
            // The certificate follows: now the pair works and is loaded.
            TestCertificates.writeAtomically(good.chainFile(), Files.readString(renewal.chainFile()));
            assertTrue(tls.reloadIfChanged());
            assertEquals(renewal.certificate(), served(fx.port));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedByTheHandshake() throws Exception {
        Issued cert = ca.issueServer(dir, "untrusted");
        try (SioFixture fx = start(ServerTls.fromPem(cert.chainFile(), cert.keyFile()))) {
            TestCertificates stranger = TestCertificates.newAuthority("Some other CA");
            SSLSocket s = (SSLSocket) stranger.clientContext().getSocketFactory().createSocket("127.0.0.1", fx.port);
            s.setSoTimeout(10_000);
            assertThrows(SSLHandshakeException.class, s::startHandshake);
            s.close();
            // The server is unharmed by the failed handshake.
            assertEquals(cert.certificate(), served(fx.port));
        }
    }
}
