package dev.nostrgate.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** relay.idleTimeout: a silent client is pinged; one that never answers is closed. */
class IdleIT {
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withServer(config.server().withIdleTimeout(Duration.ofSeconds(2))));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void pingsASilentClientWhichAnswersAndStays() {
        try (TestClient client = relay.connect()) {
            client.awaitPings(2); // the first ping answered (Java-WebSocket answers pings), a second one came
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void closesAConnectionThatNeverAnswers() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", relay.port())) {
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) != -1; ) { // never answers the ping; reads until the relay closes
                received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(received.toString()).startsWith("HTTP/1.1 101").contains("AUTH");
            assertThat(received.toString()).contains("\u0089"); // a ping frame's first byte (FIN + opcode 9)
        }
    }
}
