package io.hibiki.engine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A handshake in memory between a new server context and a client that accepts exactly the expected certificate.
 * Building a context does not prove that the key belongs to the certificate (the JDK's engine finds out only
 * when a client connects); a finished handshake does, since the server signs it with that key.
 */
final class TlsSelfCheck {

    private static final int MAX_STEPS = 200;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private TlsSelfCheck() {
    }

    static void handshake(SslContext context, X509Certificate leaf, Path certFile, Path keyFile) throws IOException {
        SSLEngine server = context.newEngine(ByteBufAllocator.DEFAULT);
        try {
            SSLEngine client = clientFor(leaf);
            int net = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            int app = Math.max(client.getSession().getApplicationBufferSize(),
                    server.getSession().getApplicationBufferSize());
            ByteBuffer toServer = ByteBuffer.allocate(net * 4);
            ByteBuffer toClient = ByteBuffer.allocate(net * 4);
            ByteBuffer clientApp = ByteBuffer.allocate(app);
            ByteBuffer serverApp = ByteBuffer.allocate(app);
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < MAX_STEPS; i++) {
                boolean moved = step(client, toServer, toClient, clientApp);
                moved |= step(server, toClient, toServer, serverApp);
                if (finished(client) && finished(server)) {
                    return;
                }
                if (!moved) {
                    break;
                }
            }
            throw new IOException("the TLS handshake with " + certFile + " and " + keyFile + " did not finish");
        } catch (SSLException e) {
            throw new IOException("the key in " + keyFile + " does not work with the certificate in " + certFile
                    + " (" + e.getMessage() + ")", e);
        } finally {
            ReferenceCountUtil.release(server);
        }
    }

    private static boolean finished(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    /** One move of one side: writes what it has to say into {@code out}, or reads what the other side said. */
    private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return true;
            }
            case NEED_WRAP -> {
                SSLEngineResult r = engine.wrap(NOTHING, out);
                return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                try {
                    SSLEngineResult r = engine.unwrap(in, app);
                    app.clear();
                    return r.bytesConsumed() > 0 || r.getStatus() == SSLEngineResult.Status.OK;
                } finally {
                    in.compact();
                }
            }
            default -> {
                return false;
            }
        }
    }

    private static SSLEngine clientFor(X509Certificate expected) throws IOException {
        X509TrustManager onlyThisOne = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain.length == 0 || !chain[0].equals(expected)) {
                    throw new CertificateException("the server showed another certificate");
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {onlyThisOne}, null);
            SSLEngine engine = ssl.createSSLEngine("self-check.invalid", 443);
            engine.setUseClientMode(true);
            return engine;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS client to check the certificate with: " + e.getMessage(), e);
        }
    }
}
