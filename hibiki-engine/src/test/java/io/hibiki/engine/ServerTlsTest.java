package io.hibiki.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.TestCertificates;
import io.hibiki.testsupport.TestCertificates.Issued;
import io.hibiki.testsupport.TestCertificates.KeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Loading PEM files: both key formats, on both engines; what is refused, and that a refusal changes nothing. */
class ServerTlsTest {

    private static final TestCertificates CA = TestCertificates.newAuthority("ServerTlsTest CA");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void loadsBothKeyFormatsOnBothEngines(KeyFormat format) throws IOException {
        Issued cert = CA.issueServer(dir, "server", format);
        assertEquals(cert.certificate(), ServerTls.fromPem(cert.chainFile(), cert.keyFile()).certificate());
        assertEquals(cert.certificate(),
                ServerTls.fromPemWithJdkEngine(cert.chainFile(), cert.keyFile()).certificate());
    }

    @Test
    void refusesWhatIsNotACertificateAndKey() throws IOException {
        Issued cert = CA.issueServer(dir, "server");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN NOTHING-----\nxx\n");
        assertThrows(IOException.class, () -> ServerTls.fromPem(garbage, cert.keyFile()));
        assertThrows(IOException.class, () -> ServerTls.fromPem(cert.chainFile(), garbage));
        assertThrows(IOException.class, () -> ServerTls.fromPem(cert.chainFile(), dir.resolve("missing.key")));
        // The key file given as the certificate: no certificate in it.
        assertThrows(IOException.class, () -> ServerTls.fromPem(cert.keyFile(), cert.keyFile()));
    }

    @Test
    void aBrokenRenewalLeavesTheServedCertificateAlone() throws IOException {
        Issued cert = CA.issueServer(dir, "server");
        ServerTls tls = ServerTls.fromPem(cert.chainFile(), cert.keyFile());
        assertFalse(tls.reloadIfChanged(), "nothing changed");
        // Rewritten with the same content (a renewal tool that found nothing to renew): still nothing changed.
        TestCertificates.writeAtomically(cert.chainFile(), Files.readString(cert.chainFile()));
        assertFalse(tls.reloadIfChanged(), "the same pair rewritten is no renewal");
        assertEquals(cert.certificate(), tls.certificate());
        TestCertificates.writeAtomically(cert.chainFile(), "not a certificate any more\n");
        assertFalse(tls.reloadIfChanged());
        assertEquals(cert.certificate(), tls.certificate());
        Issued renewed = CA.issueServer(dir, "server");
        assertTrue(tls.reloadIfChanged());
        assertEquals(renewed.certificate(), tls.certificate());
    }

    @Test
    void filesThatStayMissingAreReportedOnceNotAtEveryCheck() throws IOException {
        Issued cert = CA.issueServer(dir, "server");
        ServerTls tls = ServerTls.fromPem(cert.chainFile(), cert.keyFile());
        Files.delete(cert.keyFile());
        try (io.hibiki.testsupport.LogWatch logs = io.hibiki.testsupport.LogWatch.open()) {
            for (int i = 0; i < 3; i++) {
                assertFalse(tls.reloadIfChanged());
            }
            assertEquals(1, logs.problems().stream().filter(l -> l.contains("not loaded")).count(), logs.problems()
                    .toString());
        }
        assertEquals(cert.certificate(), tls.certificate(), "the loaded pair stays in service");
    }
}
