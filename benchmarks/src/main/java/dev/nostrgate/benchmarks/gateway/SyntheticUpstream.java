package dev.nostrgate.benchmarks.gateway;

import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A relay for the benchmark that costs nothing: it answers any REQ with its backlog (pre-signed events, as JSON)
 * and EOSE, and streams live events to every subscription at a set rate. It ignores filters: the benchmark
 * registers it with the match-all filter.
 */
final class SyntheticUpstream extends WebSocketServer {
    private final List<String> backlog;
    private final Map<WebSocket, String> subscriptions = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);

    SyntheticUpstream(List<String> backlog) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.backlog = backlog;
        setReuseAddr(true);
        setDaemon(true);
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + getPort());
    }

    void awaitStarted() throws InterruptedException {
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("synthetic upstream did not start");
        }
    }

    int subscribers() {
        return subscriptions.size();
    }

    /** Sends one live event to every subscription. */
    void live(String eventJson) {
        subscriptions.forEach((connection, subscription) -> {
            if (connection.isOpen()) {
                connection.send(RelayMessages.encodeEvent(subscription, eventJson));
            }
        });
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket connection, ClientHandshake handshake) {
    }

    @Override
    public void onMessage(WebSocket connection, String text) {
        ClientMessage message;
        try {
            message = ClientMessages.parse(text);
        } catch (MalformedMessageException e) {
            connection.send(e.reply().toJson());
            return;
        }
        if (message instanceof ClientMessage.Req req) {
            for (String event : backlog) {
                connection.send(RelayMessages.encodeEvent(req.subscriptionId(), event));
            }
            connection.send(new RelayMessage.Eose(req.subscriptionId()).toJson());
            subscriptions.put(connection, req.subscriptionId());
        } else if (message instanceof ClientMessage.Close) {
            subscriptions.remove(connection);
        }
    }

    @Override
    public void onClose(WebSocket connection, int code, String reason, boolean remote) {
        subscriptions.remove(connection);
    }

    @Override
    public void onError(WebSocket connection, Exception e) {
        // a benchmark relay has nothing to say about a client's error
    }
}
