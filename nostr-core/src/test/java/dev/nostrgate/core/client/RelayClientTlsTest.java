package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://}: the client checks the relay's certificate against the trust it is given, the JVM's by default. */
class RelayClientTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static KeyStore keyStore;

    /** A self-signed certificate for localhost, made with the JDK's keytool. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        Path file = dir.resolve("relay.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "relay", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass",
                new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
    }

    @Test
    void connectsToARelayWhoseCertificateItIsToldToTrust() throws Exception {
        try (FakeRelay relay = FakeRelay.startTls(serverContext());
             RelayClient client = RelayClient.builder().url(relay.url()).tls(trusting()).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            assertThat(client.count(List.of(Filter.ALL)))
                    .succeedsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void refusesACertificateTheJvmDoesNotTrust() throws Exception {
        try (FakeRelay relay = FakeRelay.startTls(serverContext());
             RelayClient client = RelayClient.builder().url(relay.url()).noReconnect().build()) {
            assertThat(client.connect()).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ConnectionFailedException.class)
                    .withMessageContaining("could not connect")
                    .withMessageContaining("SSLHandshakeException");
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext trusting() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
