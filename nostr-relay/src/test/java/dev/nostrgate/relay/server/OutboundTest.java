package dev.nostrgate.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundTest {

    @Test
    void sendsInOrderAndClosesAfterWhatIsQueued() {
        EmbeddedConnection embedded = new EmbeddedConnection(4_096);
        Connection connection = embedded.connection();
        assertThat(connection.send("[\"NOTICE\",\"one\"]")).isTrue();
        assertThat(connection.send("[\"NOTICE\",\"two\"]")).isTrue();
        connection.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "relay is shutting down");
        assertThat(connection.send("[\"NOTICE\",\"too late\"]")).isFalse();
        assertThat(embedded.sent()).containsExactly("[\"NOTICE\",\"one\"]", "[\"NOTICE\",\"two\"]",
                "close 1001 relay is shutting down");
    }

    @Test
    void dropsTheBacklogOfASlowClientTellsItWhyAndCloses() {
        EmbeddedConnection embedded = new EmbeddedConnection(4_096);
        Connection connection = embedded.connection();
        String message = "[\"NOTICE\",\"" + "x".repeat(1_000) + "\"]";
        int accepted = 0;
        while (connection.send(message)) { // the event loop does not run: nothing drains, as with a stuck client
            accepted++;
        }
        assertThat(accepted).isEqualTo(4);
        assertThat(connection.outbound().queuedBytes()).isLessThanOrEqualTo(4_096);
        assertThat(embedded.metrics().registry().get("nostr.relay.outbound.slow.closed").counter().count())
                .isEqualTo(1);
        List<String> sent = embedded.sent();
        // What was handed to Netty before the overflow may still go out (EmbeddedChannel runs tasks on each
        // write, so here that is part of the backlog); then the reason, then the close frame, then nothing.
        assertThat(sent.size()).isBetween(2, 2 + accepted);
        assertThat(sent.subList(0, sent.size() - 2)).allMatch(message::equals);
        assertThat(sent.get(sent.size() - 2)).startsWith("[\"NOTICE\",\"rate-limited: you are reading too slowly");
        assertThat(sent.get(sent.size() - 1)).startsWith("close 1008 too slow");
        assertThat(connection.outbound().queuedBytes()).isZero();
    }

    @Test
    void callsAPacingProducerBackOnceTheQueueIsDrained() {
        EmbeddedConnection embedded = new EmbeddedConnection(4_096);
        Connection connection = embedded.connection();
        connection.send("[\"NOTICE\",\"backlog\"]");
        boolean[] called = {false};
        connection.outbound().whenDrained(() -> called[0] = true);
        assertThat(called[0]).isFalse();
        assertThat(embedded.sent()).containsExactly("[\"NOTICE\",\"backlog\"]");
        assertThat(called[0]).isTrue();
    }
}
