package dev.nostrgate.core.client;

import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection attempt, on the JDK's {@link WebSocket}. Its callbacks do nothing but hand each message,
 * tagged with this attempt, to the session's executor, where a callback from an attempt that is no longer the
 * current one is ignored.
 *
 * <p>Backpressure: the socket is asked for {@code maxUndelivered} messages when it opens, and for one more each
 * time the listeners have run every callback a message caused. When the listeners fall behind by that many
 * messages, the JDK stops reading the socket: the relay's TCP window fills, instead of memory.
 *
 * <p>Keep-alive: a connection that has been silent for the ping interval gets a ping, and one silent for twice
 * the interval is given up (a relay behind a dead NAT entry or a half-open TCP connection says nothing ever
 * again). While the client holds messages back, silence is its own doing and does not count.
 */
final class RelaySocket implements WebSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(RelaySocket.class);
    /** The longest message accepted; a relay that sends more is cut off rather than fill the heap. */
    static final int MAX_MESSAGE_CHARS = 16 * 1024 * 1024;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final ClientSettings settings;
    private final RelaySession session;
    private final AtomicInteger undelivered;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StringBuilder fragments = new StringBuilder();
    private volatile WebSocket webSocket;
    private volatile boolean aborted;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean pinged;
    private volatile ScheduledFuture<?> keepAlive;
    /** Sends are chained: the JDK refuses a send while the previous one is pending. Changed on the session thread. */
    private CompletableFuture<WebSocket> sending;

    RelaySocket(ClientSettings settings, RelaySession session, AtomicInteger undelivered) {
        this.settings = settings;
        this.session = session;
        this.undelivered = undelivered;
    }

    /** Starts the opening handshake; returns at once. */
    void connect() {
        ClientThreads.http(settings.tls()).newWebSocketBuilder()
                .connectTimeout(settings.connectTimeout())
                .buildAsync(settings.url(), this)
                .whenComplete((opened, error) -> {
                    if (error != null) {
                        end("could not connect: " + describe(unwrap(error)));
                    } else if (aborted) {
                        opened.abort(); // given up on while the handshake was finishing
                    }
                });
    }

    boolean isOpen() {
        WebSocket current = webSocket;
        return current != null && !current.isOutputClosed() && !ended.get();
    }

    /** Sends a text message after those already sent; false if the connection is not open. */
    boolean send(String text) {
        if (!isOpen()) {
            return false;
        }
        chain(socket -> socket.sendText(text, true));
        return true;
    }

    /** Starts the closing handshake, and cuts the connection if it does not finish within 2 s. */
    void close(int code, String reason) {
        if (!isOpen()) {
            abort();
            return;
        }
        chain(socket -> socket.sendClose(code, reason));
        ScheduledFuture<?> cutOff = ClientThreads.TIMER.schedule(this::abort, CLOSE_WAIT.toMillis(),
                TimeUnit.MILLISECONDS);
        closed.whenComplete((done, error) -> cutOff.cancel(false));
    }

    /** Ends the attempt without a closing handshake (it is stuck, or not open yet). */
    void abort() {
        aborted = true;
        WebSocket current = webSocket;
        if (current != null) {
            current.abort();
        }
        end("aborted by the client");
    }

    /** Completes when the connection is closed, however it ended. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    // ---- the JDK's callbacks, one at a time

    @Override
    public void onOpen(WebSocket socket) {
        webSocket = socket;
        heard();
        synchronized (this) {
            sending = CompletableFuture.completedFuture(socket);
        }
        long interval = settings.pingInterval().toMillis();
        long period = Math.max(1, interval / 4);
        keepAlive = ClientThreads.TIMER.scheduleAtFixedRate(this::checkAlive, period, period, TimeUnit.MILLISECONDS);
        socket.request(settings.maxUndelivered());
        session.execute(() -> session.opened(this));
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        heard();
        if (fragments.length() + data.length() > MAX_MESSAGE_CHARS) {
            fragments.setLength(0);
            socket.abort();
            end("connection lost (a message longer than " + MAX_MESSAGE_CHARS + " characters)");
            return null;
        }
        if (!last) {
            fragments.append(data); // copied: the JDK reuses the buffer once this returns
            socket.request(1); // a fragment is no message yet: it does not use up the listeners' allowance
            return null;
        }
        String text;
        if (fragments.isEmpty()) {
            text = data.toString();
        } else {
            text = fragments.append(data).toString();
            fragments.setLength(0);
        }
        undelivered.incrementAndGet();
        boolean queued = session.arrived(this, text, () -> {
            undelivered.decrementAndGet();
            socket.request(1);
        });
        if (!queued) {
            undelivered.decrementAndGet();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
        heard();
        log.debug("{}: ignoring {} bytes of a binary frame (Nostr is text)", settings.url(), data.remaining());
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket socket, ByteBuffer message) {
        heard(); // the JDK answers with a pong itself
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
        heard();
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        end("connection lost (" + statusCode + (reason.isBlank() ? "" : " " + reason) + ")");
        return null; // the JDK answers the close now
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        end("connection lost (" + describe(unwrap(error)) + ")");
    }

    // ---- internals

    private synchronized void chain(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
        sending = sending.thenCompose(send);
        sending.whenComplete((socket, error) -> {
            if (error != null) {
                abortAfter("could not send: " + describe(unwrap(error)));
            }
        });
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
        pinged = false;
    }

    private void checkAlive() {
        if (undelivered.get() > 0) {
            heard(); // the client is not reading: the relay's silence is ours
            return;
        }
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
        long interval = settings.pingInterval().toMillis();
        if (silentMillis >= 2 * interval) {
            abortAfter("connection lost (no answer to a ping within " + silentMillis + " ms)");
        } else if (silentMillis >= interval && !pinged && isOpen()) {
            pinged = true;
            chain(socket -> socket.sendPing(ByteBuffer.allocate(0)));
        }
    }

    private void abortAfter(String problem) {
        WebSocket current = webSocket;
        if (current != null) {
            current.abort();
        }
        end(problem);
    }

    /** Reports the end of the attempt to the session, once, whichever way it ended. */
    private void end(String problem) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> check = keepAlive;
        if (check != null) {
            check.cancel(false);
        }
        log.debug("{}: {}", settings.url(), problem);
        session.execute(() -> session.lost(this, problem));
        closed.complete(null);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable error) {
        if (error instanceof WebSocketHandshakeException handshake) {
            return "HTTP " + handshake.getResponse().statusCode() + " instead of a WebSocket handshake";
        }
        String type = error.getClass().getSimpleName();
        return error.getMessage() == null ? type : type + ": " + error.getMessage();
    }
}
