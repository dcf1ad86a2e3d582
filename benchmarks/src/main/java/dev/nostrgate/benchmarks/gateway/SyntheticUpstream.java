package dev.nostrgate.benchmarks.gateway;

import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.net.URI;
import java.util.List;
import org.java_websocket.WebSocket;

/**
 * A relay for the benchmark that costs nothing: it answers any REQ with its backlog (pre-signed events, as JSON)
 * and EOSE, and streams live events to every subscription at a set rate.
 */
final class SyntheticUpstream extends SyntheticRelayServer {
    private final List<String> backlog;

    SyntheticUpstream(List<String> backlog) {
        this.backlog = backlog;
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + getPort());
    }

    /** Sends one live event to every subscription. */
    void live(String eventJson) {
        subscriptions().forEach((connection, subscription) -> {
            if (connection.isOpen()) {
                connection.send(RelayMessages.encodeEvent(subscription, eventJson));
            }
        });
    }

    @Override
    protected void answer(WebSocket connection, String subscriptionId) {
        for (String event : backlog) {
            connection.send(RelayMessages.encodeEvent(subscriptionId, event));
        }
        connection.send(new RelayMessage.Eose(subscriptionId).toJson());
    }
}
