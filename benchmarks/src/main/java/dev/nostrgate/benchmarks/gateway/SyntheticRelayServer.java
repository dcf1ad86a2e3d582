package dev.nostrgate.benchmarks.gateway;

import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The NIP-01 side the benchmarks' synthetic relays share: a REQ is answered by {@link #answer} and its
 * subscription kept (one per connection: the gateway subscribes once), a CLOSE or a closed connection forgets it.
 * Filters are ignored: the benchmarks register their relays with the match-all filter.
 */
public abstract class SyntheticRelayServer extends WebSocketServer {
    private final Map<WebSocket, String> subscriptions = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);

    protected SyntheticRelayServer() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
        setDaemon(true);
    }

    /** Waits until the port is bound. */
    public void awaitStarted() throws InterruptedException {
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("synthetic relay server did not start within 10 s");
        }
    }

    public int subscribers() {
        return subscriptions.size();
    }

    /** The open subscriptions: connection to subscription id. */
    protected Map<WebSocket, String> subscriptions() {
        return subscriptions;
    }

    /** Sends what the relay holds for a new subscription, ending with EOSE. */
    protected abstract void answer(WebSocket connection, String subscriptionId);

    @Override
    public final void onStart() {
        started.countDown();
    }

    @Override
    public final void onOpen(WebSocket connection, ClientHandshake handshake) {
    }

    @Override
    public final void onMessage(WebSocket connection, String text) {
        ClientMessage message;
        try {
            message = ClientMessages.parse(text);
        } catch (MalformedMessageException e) {
            connection.send(e.reply().toJson());
            return;
        }
        if (message instanceof ClientMessage.Req req) {
            answer(connection, req.subscriptionId());
            subscriptions.put(connection, req.subscriptionId());
        } else if (message instanceof ClientMessage.Close) {
            subscriptions.remove(connection);
        }
    }

    @Override
    public final void onClose(WebSocket connection, int code, String reason, boolean remote) {
        subscriptions.remove(connection);
    }

    @Override
    public final void onError(WebSocket connection, Exception e) {
        // a synthetic relay has nothing to say about a client's error; the gateway reports its own side
    }
}
