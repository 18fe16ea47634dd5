package io.hibiki.engine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for a listening server, from PEM files: the certificate chain (leaf first, as CAs and ACME clients write
 * {@code fullchain.pem}) and its private key (PKCS#8 {@code BEGIN PRIVATE KEY}; the traditional RSA and EC forms
 * too when BouncyCastle is on the class path). TLS 1.2 and 1.3 only, ALPN {@code http/1.1}. The native
 * BoringSSL engine ({@code netty-tcnative-boringssl-static}) is used when it is on the class path and loads, the
 * JDK's otherwise.
 *
 * <p>Certificates are renewed while servers run, so the files are checked again every {@link #reloadEvery}
 * (default 30 s) once a server listens with it. A changed pair is loaded only after it has proved itself: the new
 * context completes a handshake in memory, which a key that does not belong to the certificate (a renewal caught
 * between writing its two files) cannot do. Until then, and whenever the files are broken, the last good pair
 * stays in use. Connections already open keep the session they negotiated; only new ones see the new
 * certificate.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** A client that says hello and then nothing holds a connection this long at most. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final Path certificateChain;
    private final Path privateKey;
    private final SslProvider provider;
    private volatile Duration reloadEvery = Duration.ofSeconds(30);
    private volatile Loaded current;
    /** The files' state that last failed to load, so a broken pair is reported once, not at every check. */
    private volatile FileState lastRefused;
    private volatile String lastRefusal;
    private ScheduledExecutorService watcher;

    private record FileState(FileTime certTime, long certSize, FileTime keyTime, long keySize) {
    }

    private record Loaded(SslContext context, X509Certificate leaf, FileState files, byte[] cert, byte[] key) {
    }

    private ServerTls(Path certificateChain, Path privateKey, SslProvider provider) throws IOException {
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.provider = provider;
        try {
            this.current = load(state());
        } catch (java.nio.file.NoSuchFileException e) {
            // Alone, its message is a bare path; this is the line an operator reads at start.
            throw new IOException("TLS file not found: " + e.getFile());
        }
    }

    /**
     * Reads a certificate chain and its private key from PEM files and checks that they work together.
     *
     * @param certificateChain the PEM file with the server certificate first, then its intermediates
     * @param privateKey       the PEM file with the certificate's private key
     * @return the TLS setup, on the native engine when it is available
     * @throws IOException when a file cannot be read, is not PEM, or the key does not belong to the certificate
     */
    public static ServerTls fromPem(Path certificateChain, Path privateKey) throws IOException {
        return create(certificateChain, privateKey, nativeAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /**
     * Like {@link #fromPem(Path, Path)}, with the JDK's TLS engine even when the native one is present.
     *
     * @param certificateChain the PEM file with the server certificate first, then its intermediates
     * @param privateKey       the PEM file with the certificate's private key
     * @return the TLS setup, on the JDK's engine
     * @throws IOException when a file cannot be read, is not PEM, or the key does not belong to the certificate
     */
    public static ServerTls fromPemWithJdkEngine(Path certificateChain, Path privateKey) throws IOException {
        return create(certificateChain, privateKey, SslProvider.JDK);
    }

    private static ServerTls create(Path certificateChain, Path privateKey, SslProvider provider) throws IOException {
        return new ServerTls(Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"), provider);
    }

    private static boolean nativeAvailable() {
        try {
            return OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL);
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * How often the files are checked for a renewal; zero or negative: never. Set it before the server listens:
     * the checks start then, at this interval. One {@code ServerTls} belongs to one server, which stops the checks
     * when it closes.
     *
     * @param interval time between two checks; default 30 s
     * @return this object
     */
    public ServerTls reloadEvery(Duration interval) {
        this.reloadEvery = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * The TLS engine in use: "OpenSSL" followed by its version (BoringSSL), or "JDK".
     *
     * @return a name for logs, for example {@code OpenSSL (BoringSSL)} or {@code JDK}
     */
    public String engineName() {
        return provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /**
     * The certificate new connections are given.
     *
     * @return the leaf certificate of the pair loaded last
     */
    public X509Certificate certificate() {
        return current.leaf();
    }

    /**
     * The handler for one new connection, with the certificate loaded now. A client that has not finished its
     * handshake within 10 s is disconnected.
     *
     * @param alloc the allocator of the connection's channel
     * @return a new server-side handler, to be put first in the connection's pipeline
     */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = current.context().newHandler(alloc);
        handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        return handler;
    }

    /**
     * Checks the files now and loads them if they changed and work. Returns whether new connections get a new
     * certificate. Reads files: call it off event loops.
     *
     * @return {@code true} when a changed pair was loaded; {@code false} when the files are unchanged, only touched,
     *         or broken (the previous pair then stays in use)
     */
    public synchronized boolean reloadIfChanged() {
        FileState files;
        try {
            files = state();
        } catch (IOException e) {
            refuse(null, "cannot read the certificate files: " + e.getMessage());
            return false;
        }
        if (files.equals(current.files()) || files.equals(lastRefused)) {
            return false;
        }
        Loaded next;
        try {
            byte[] cert = Files.readAllBytes(certificateChain);
            byte[] key = Files.readAllBytes(privateKey);
            if (Arrays.equals(cert, current.cert()) && Arrays.equals(key, current.key())) {
                // Touched, not changed (a renewal tool rewrote the same pair): nothing to build or check again.
                current = new Loaded(current.context(), current.leaf(), files, cert, key);
                return false;
            }
            next = load(files, cert, key);
        } catch (IOException | RuntimeException e) {
            refuse(files, e.getMessage());
            return false;
        }
        current = next;
        lastRefused = null;
        log.info("TLS certificate reloaded: {} (serial {}, valid until {})", next.leaf().getSubjectX500Principal(),
                next.leaf().getSerialNumber().toString(16), next.leaf().getNotAfter().toInstant());
        return true;
    }

    private void refuse(FileState files, String why) {
        // Once per broken state, not at every check: files that stay missing say so once.
        if (!java.util.Objects.equals(files, lastRefused) || !why.equals(lastRefusal)) {
            log.warn("TLS files {} and {} not loaded, the previous certificate stays in use: {}", certificateChain,
                    privateKey, why);
        }
        lastRefused = files;
        lastRefusal = why;
    }

    /** Starts checking the files every {@link #reloadEvery}; called by the server that listens with it. */
    synchronized void watch() {
        long every = reloadEvery.toMillis();
        if (watcher != null || every <= 0) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hibiki-tls-reload");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> {
            try {
                reloadIfChanged();
            } catch (RuntimeException e) {
                log.warn("TLS reload check failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops checking the files. Connections keep working; new ones get the last loaded certificate. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    private FileState state() throws IOException {
        return new FileState(Files.getLastModifiedTime(certificateChain), Files.size(certificateChain),
                Files.getLastModifiedTime(privateKey), Files.size(privateKey));
    }

    private Loaded load(FileState files) throws IOException {
        return load(files, Files.readAllBytes(certificateChain), Files.readAllBytes(privateKey));
    }

    private Loaded load(FileState files, byte[] cert, byte[] key) throws IOException {
        X509Certificate leaf;
        try {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(cert));
            if (certs.isEmpty()) {
                throw new IOException(certificateChain + " holds no certificate");
            }
            leaf = (X509Certificate) certs.iterator().next();
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(certificateChain + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        SslContext context;
        try {
            context = SslContextBuilder.forServer(new ByteArrayInputStream(cert), new ByteArrayInputStream(key))
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot use " + certificateChain + " with " + privateKey + ": " + e.getMessage(), e);
        }
        TlsSelfCheck.handshake(context, leaf, certificateChain, privateKey);
        return new Loaded(context, leaf, files, cert, key);
    }
}
