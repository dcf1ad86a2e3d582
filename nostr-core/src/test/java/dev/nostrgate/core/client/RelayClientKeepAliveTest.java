package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/** A connection that has gone quiet is pinged, and one that does not answer is given up and opened again. */
class RelayClientKeepAliveTest {
    private static final Duration PING_INTERVAL = Duration.ofMillis(300);

    @Test
    void aRelayThatNeverAnswersIsGivenUpAndReconnected() throws Exception {
        try (QuietRelay relay = QuietRelay.start(false);
             RelayClient client = RelayClient.builder().url(relay.url()).pingInterval(PING_INTERVAL)
                     .reconnect(Duration.ofMillis(50), Duration.ofMillis(100)).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            // silent for 2 intervals (a ping went unanswered): the client drops the connection and opens another
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.connections.get() >= 2);
            assertThat(relay.pings.get()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aRelayThatAnswersPingsKeepsItsOneConnection() throws Exception {
        try (QuietRelay relay = QuietRelay.start(true);
             RelayClient client = RelayClient.builder().url(relay.url()).pingInterval(PING_INTERVAL).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.pings.get() >= 3);
            assertThat(relay.connections).hasValue(1);
            assertThat(client.isConnected()).isTrue();
        }
    }

    /** A relay that says nothing at all: it only counts connections and pings, and answers pings if told to. */
    private static final class QuietRelay extends WebSocketServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        final CompletableFuture<Void> started = new CompletableFuture<>();
        private final boolean answersPings;

        private QuietRelay(boolean answersPings) {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.answersPings = answersPings;
            setConnectionLostTimeout(0); // the server must not ping: the client's pings are what is tested
            setDaemon(true);
            setReuseAddr(true);
        }

        static QuietRelay start(boolean answersPings) {
            QuietRelay relay = new QuietRelay(answersPings);
            relay.start();
            relay.started.orTimeout(10, TimeUnit.SECONDS).join();
            return relay;
        }

        URI url() {
            return URI.create("ws://127.0.0.1:" + getPort());
        }

        @Override
        public void onWebsocketPing(WebSocket connection, Framedata ping) {
            pings.incrementAndGet();
            if (answersPings) {
                super.onWebsocketPing(connection, ping);
            }
        }

        @Override
        public void onStart() {
            started.complete(null);
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
            connections.incrementAndGet();
        }

        @Override
        public void onMessage(WebSocket connection, String message) {
            // says nothing back
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket connection, Exception e) {
        }

        @Override
        public void close() throws InterruptedException {
            stop(1000);
        }
    }
}
