package dev.nostrgate.core.client;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection attempt. Java-WebSocket calls it on its own threads; it does nothing there but hand
 * each callback, tagged with itself, to the session's thread, where a callback from a connection that is no
 * longer the current one is ignored.
 *
 * <p>Backpressure: each text message takes a permit before it leaves the read thread, and the permit comes back
 * when the listeners have run every callback it caused. When the listeners fall behind by the client's
 * {@code maxUndelivered} messages, the read thread waits here: the socket is not read, and the relay's TCP window
 * fills, instead of memory.
 */
final class RelaySocket extends WebSocketClient {
    private static final Logger log = LoggerFactory.getLogger(RelaySocket.class);

    private final RelaySession session;
    private final Semaphore undelivered;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean opened;
    private volatile Exception error;

    RelaySocket(URI url, Duration connectTimeout, RelaySession session, Semaphore undelivered) {
        super(url, new Draft_6455(), Map.of(), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.session = session;
        this.undelivered = undelivered;
        setDaemon(true); // an application that forgets close() can still exit
        setTcpNoDelay(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        opened = true;
        session.execute(() -> session.opened(this));
    }

    @Override
    public void onMessage(String text) {
        try {
            while (!undelivered.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (closed.isDone() || isClosing() || isClosed()) {
                    return; // the connection is going away; what it still held is dropped with it
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean queued = session.execute(() -> {
            try {
                session.received(this, text);
            } finally {
                session.afterDeliveries(undelivered::release);
            }
        });
        if (!queued) {
            undelivered.release();
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        log.debug("{}: ignoring a binary frame of {} bytes (Nostr is text)", uri, bytes.remaining());
    }

    @Override
    public void onError(Exception e) {
        error = e; // when it ends the connection, onClose follows and says so
        log.debug("{}: {}", uri, describe(e));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        String problem = problem(code, reason);
        session.execute(() -> session.lost(this, problem));
        closed.complete(null);
    }

    /** Completes when the connection is closed, however it ended. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Ends the attempt without a closing handshake (it is stuck, or not open yet). */
    void abort() {
        try {
            Socket raw = getSocket();
            if (raw != null) {
                raw.close(); // unblocks a read or connect in progress on Java-WebSocket's thread
            }
        } catch (IOException e) {
            log.debug("{}: closing the socket: {}", uri, e.toString());
        }
        closeConnection(CloseFrame.ABNORMAL_CLOSE, "aborted by the client");
    }

    private String problem(int code, String reason) {
        Exception cause = error;
        if (!opened) {
            String why = cause != null ? describe(cause) : reason.isBlank() ? "code " + code : reason;
            return "could not connect: " + why;
        }
        return "connection lost (" + code + (reason.isBlank() ? "" : " " + reason) + ")";
    }

    private static String describe(Exception e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }
}
