package dev.nostrgate.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.net.URI;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The synthetic relays over real WebSocket connections. */
class ManyUpstreamsTest {
    private final ManyUpstreams upstreams = new ManyUpstreams(3, 1, 50);

    @AfterEach
    void close() throws InterruptedException {
        upstreams.close();
    }

    @Test
    void aRelayThatIsUpAnswersEoseThenTricklesSignedEvents() throws Exception {
        upstreams.open();
        Client client = new Client(upstreams.url(2));
        assertThat(client.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        client.send("[\"REQ\",\"sub1\",{}]");

        assertThat(client.next()).isEqualTo(new RelayMessage.Eose("sub1"));
        RelayMessage event = client.next();
        assertThat(event).isInstanceOfSatisfying(RelayMessage.EventMessage.class, message -> {
            assertThat(message.subscriptionId()).isEqualTo("sub1");
            assertThat(new EventVerifier().isAuthentic(message.event())).isTrue();
        });
        assertThat(upstreams.subscribers()).isEqualTo(1);
        client.closeBlocking();
    }

    @Test
    void theFirstRelaysAndUnknownPathsRefuseTheHandshake() throws Exception {
        upstreams.open();
        for (URI url : new URI[] {upstreams.url(0), upstreams.url(3), URI.create(upstreams.url(1) + "/x")}) {
            assertThat(new Client(url).connectBlocking(5, TimeUnit.SECONDS)).as(url.toString()).isFalse();
        }
        assertThat(upstreams.handshakesRefused()).isEqualTo(3);
        assertThat(new Client(upstreams.url(1)).connectBlocking(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void relayPathsAreNumbered() {
        assertThat(ManyUpstreams.relayOf("/r/17")).isEqualTo(OptionalInt.of(17));
        assertThat(ManyUpstreams.relayOf("/r/17/")).isEqualTo(OptionalInt.of(17));
        assertThat(ManyUpstreams.relayOf("/r/x")).isEmpty();
        assertThat(ManyUpstreams.relayOf("/")).isEmpty();
    }

    /** A client that queues what the relay sends. */
    private static final class Client extends WebSocketClient {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        Client(URI url) {
            super(url);
        }

        RelayMessage next() throws Exception {
            String text = received.poll(10, TimeUnit.SECONDS);
            assertThat(text).as("a message within 10 s").isNotNull();
            return RelayMessages.parse(text);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            received.add(message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception e) {
        }
    }
}
