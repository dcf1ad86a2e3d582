package dev.nostrgate.core.client;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import dev.nostrgate.core.negentropy.NegentropyServer;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.CancelledKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * A small in-memory relay for tests, on a real WebSocket server bound to a free local port: it stores events,
 * answers {@code OK}, {@code EVENT}/{@code EOSE}, {@code COUNT}, {@code CLOSED} and NIP-77 negentropy, fans new events out to matching
 * subscriptions, and can be told to misbehave (stay silent, refuse, require NIP-42 authentication, drop or refuse
 * connections, send forged events). It records every message it receives, for assertions.
 *
 * <p>Thread-safe: Java-WebSocket calls it on several threads; every handler holds the relay's lock.
 *
 * <p>Java-WebSocket's server can strand a message: a send from any thread but its selector queues the frame and
 * asks for write interest, while the selector, just done flushing the previous frame of that connection, sets the
 * interest back to read-only. The frame then waits for the next send on that connection, which may never come (a
 * lost EOSE, OK or NOTICE: a client test that hangs for no fault of the client). So the relay pings every open
 * connection every {@link #FLUSH_EVERY}: each ping asks for write interest again, and a stranded frame goes out
 * with it.
 */
public final class FakeRelay implements AutoCloseable {
    static final Duration FLUSH_EVERY = Duration.ofMillis(100);

    private final Server server;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fake-relay-flush");
        thread.setDaemon(true);
        return thread;
    });
    private final URI url;
    private final EventVerifier verifier = new EventVerifier();

    // guarded by this
    private final List<Event> stored = new ArrayList<>();
    private final List<ClientMessage> received = new ArrayList<>();
    private final List<Integer> closeCodes = new ArrayList<>();
    private final List<Predicate<Event>> rejections = new ArrayList<>();
    private final List<String> rejectionMessages = new ArrayList<>();
    private boolean silent;
    private boolean authRequired;
    private boolean refusingConnections;
    private String countRefusal;
    private String negentropyRefusal;
    private boolean dropDuringNegentropy;
    private int closeAfterStoredEvents = -1;
    private boolean refuseAfterClosing;

    private FakeRelay(SSLContext tls) {
        server = new Server();
        server.setDaemon(true);
        server.setReuseAddr(true);
        if (tls != null) {
            server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        }
        server.start();
        server.started.orTimeout(10, TimeUnit.SECONDS).join();
        url = URI.create((tls != null ? "wss://localhost:" : "ws://127.0.0.1:") + server.getPort());
        flusher.scheduleWithFixedDelay(this::flushStrandedFrames, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * See the class comment: a ping makes the selector write whatever waits in a connection's queue. A closing
     * connection takes no ping, and its close frame can be stranded the same way (the relay that closes right after
     * its last event): asking for write interest directly flushes it.
     */
    private void flushStrandedFrames() {
        for (WebSocket connection : server.getConnections()) {
            try {
                if (connection.isOpen()) {
                    connection.sendPing();
                } else {
                    server.onWriteDemand(connection);
                }
            } catch (WebsocketNotConnectedException | CancelledKeyException closed) {
                // closed meanwhile: nothing left to flush
            }
        }
    }

    /** A relay listening on a free port of 127.0.0.1. */
    public static FakeRelay start() {
        return new FakeRelay(null);
    }

    /** A relay on {@code wss://localhost:<port>}, with the certificate of this TLS context. */
    public static FakeRelay startTls(SSLContext tls) {
        return new FakeRelay(tls);
    }

    /** {@code ws://127.0.0.1:<port>}, or {@code wss://localhost:<port>}. */
    public URI url() {
        return url;
    }

    // ---- behaviour

    /** Answers {@code OK false <message>} to events that match, instead of storing them. */
    public synchronized FakeRelay reject(Predicate<Event> which, String message) {
        rejections.add(which);
        rejectionMessages.add(message);
        return this;
    }

    /** Receives and records {@code EVENT}, {@code COUNT} and {@code NEG-OPEN}, and never answers them. */
    public synchronized FakeRelay silent() {
        silent = true;
        return this;
    }

    /**
     * Sends an {@code AUTH} challenge on each new connection, and refuses {@code EVENT}, {@code REQ} and
     * {@code COUNT} with {@code auth-required:} until the connection has authenticated.
     */
    public synchronized FakeRelay requireAuth() {
        authRequired = true;
        return this;
    }

    /** Answers every {@code COUNT} with {@code CLOSED <message>}. */
    public synchronized FakeRelay refuseCounts(String message) {
        countRefusal = message;
        return this;
    }

    /** Answers every {@code NEG-OPEN} with {@code NEG-ERR <reason>}. */
    public synchronized FakeRelay refuseNegentropy(String reason) {
        negentropyRefusal = reason;
        return this;
    }

    /** Answers the first {@code NEG-MSG} after a {@code NEG-OPEN} by dropping the connection (no reply). */
    public synchronized FakeRelay dropDuringNegentropy() {
        dropDuringNegentropy = true;
        return this;
    }

    /** Fails the WebSocket handshake of new connections until {@link #acceptConnections()}. */
    public synchronized FakeRelay refuseConnections() {
        refusingConnections = true;
        return this;
    }

    public synchronized FakeRelay acceptConnections() {
        refusingConnections = false;
        return this;
    }

    /**
     * Answers the next {@code REQ} with only its newest {@code n} stored events (newest first, as always), then
     * closes that connection (1001, as a relay that restarts) before the rest and {@code EOSE}. Once.
     */
    public synchronized FakeRelay closeAfterStoredEvents(int n) {
        closeAfterStoredEvents = n;
        refuseAfterClosing = false;
        return this;
    }

    /**
     * {@link #closeAfterStoredEvents}, and from then on refuses new connections until {@link #acceptConnections()}:
     * a relay that goes away in the middle of an answer.
     */
    public synchronized FakeRelay goAwayAfterStoredEvents(int n) {
        closeAfterStoredEvents = n;
        refuseAfterClosing = true;
        return this;
    }

    /** Closes every connection abruptly: no closing handshake, as when a network or a relay process fails. */
    public void dropConnections() {
        for (WebSocket connection : server.getConnections()) {
            drop(connection);
        }
    }

    /**
     * Closes the connection's socket itself, then lets the library forget it: its closeConnection alone, called
     * while the connection's worker was busy with it, once left the socket open, and the client waited for ever.
     */
    private static void drop(WebSocket connection) {
        try {
            ((WebSocketImpl) connection).getChannel().close();
        } catch (IOException e) {
            // closed already
        }
        connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the test");
    }

    // ---- data

    /** Stores events as if published, and sends them to matching subscriptions. */
    public synchronized void store(Event... events) {
        for (Event event : events) {
            storeAndFanOut(event);
        }
    }

    /** Sends an event's JSON, as it is (forged or not), to every open subscription. */
    public synchronized void sendToSubscribers(String eventJson) {
        for (WebSocket connection : server.getConnections()) {
            for (String subscriptionId : peer(connection).subscriptions.keySet()) {
                connection.send(RelayMessages.encodeEvent(subscriptionId, eventJson));
            }
        }
    }

    /** Sends a {@code NOTICE} on every connection. */
    public synchronized void notice(String message) {
        for (WebSocket connection : server.getConnections()) {
            connection.send(new RelayMessage.Notice(message).toJson());
        }
    }

    /**
     * Leaves a {@code NOTICE} in each connection's queue as the server's write race leaves a frame (see the class
     * comment): queued, with no write interest asked for. Only the relay's flush sends it on.
     */
    public void strandNotice(String message) {
        for (WebSocket connection : server.getConnections()) {
            WebSocketImpl queue = (WebSocketImpl) connection;
            Draft draft = queue.getDraft();
            for (Framedata frame : draft.createFrames(new RelayMessage.Notice(message).toJson(), false)) {
                queue.outQueue.add(draft.createBinaryFrame(frame));
            }
        }
    }

    public synchronized List<Event> stored() {
        return List.copyOf(stored);
    }

    /** Every message received, in order. */
    public synchronized List<ClientMessage> received() {
        return List.copyOf(received);
    }

    /** The messages received of one type, in order. */
    public synchronized <T extends ClientMessage> List<T> received(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The close code of each connection that ended, in order (the client's code when the client closed). */
    public synchronized List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    public int openConnections() {
        return server.getConnections().size();
    }

    @Override
    public void close() throws InterruptedException {
        flusher.shutdownNow();
        server.stop(1_000);
    }

    // ---- the relay

    private synchronized void opened(WebSocket connection) {
        Peer peer = new Peer();
        connection.setAttachment(peer);
        if (authRequired) {
            peer.challenge = UUID.randomUUID().toString();
            connection.send(new RelayMessage.AuthChallenge(peer.challenge).toJson());
        }
    }

    private synchronized void closed(int code) {
        closeCodes.add(code);
    }

    private synchronized void handle(WebSocket connection, String text) {
        ClientMessage message;
        try {
            message = ClientMessages.parse(text);
        } catch (MalformedMessageException e) {
            connection.send(e.reply().toJson());
            return;
        }
        received.add(message);
        Peer peer = peer(connection);
        boolean mustAuthenticate = authRequired && !peer.authenticated;
        switch (message) {
            case ClientMessage.Publish publish -> {
                Event event = publish.event();
                if (silent) {
                    return;
                }
                connection.send(answer(event, mustAuthenticate).toJson());
            }
            case ClientMessage.Req req -> {
                if (mustAuthenticate) {
                    connection.send(RelayMessage.Closed.of(req.subscriptionId(), ReasonPrefix.AUTH_REQUIRED,
                            "sign in to read").toJson());
                    return;
                }
                peer.subscriptions.put(req.subscriptionId(), req.filters());
                List<Event> matching = stored.stream()
                        .filter(event -> req.filters().stream().anyMatch(filter -> filter.matches(event)))
                        .sorted(Comparator.comparingLong(Event::createdAt).reversed())
                        .toList();
                int cut = closeAfterStoredEvents;
                closeAfterStoredEvents = -1;
                matching.stream().limit(cut < 0 ? matching.size() : cut).forEach(event -> connection.send(
                        new RelayMessage.EventMessage(req.subscriptionId(), event).toJson()));
                if (cut >= 0) {
                    refusingConnections |= refuseAfterClosing;
                    connection.close(CloseFrame.GOING_AWAY, "restarting (the test cut the stored events short)");
                    return;
                }
                connection.send(new RelayMessage.Eose(req.subscriptionId()).toJson());
            }
            case ClientMessage.Close close -> peer.subscriptions.remove(close.subscriptionId());
            case ClientMessage.Count count -> {
                if (silent) {
                    return;
                }
                if (mustAuthenticate || countRefusal != null) {
                    connection.send((mustAuthenticate
                            ? RelayMessage.Closed.of(count.subscriptionId(), ReasonPrefix.AUTH_REQUIRED, "sign in")
                            : new RelayMessage.Closed(count.subscriptionId(), countRefusal)).toJson());
                    return;
                }
                long matching = stored.stream()
                        .filter(event -> count.filters().stream().anyMatch(filter -> filter.matches(event)))
                        .count();
                connection.send(new RelayMessage.CountResult(count.subscriptionId(), matching, false).toJson());
            }
            case ClientMessage.NegOpen open -> {
                if (silent) {
                    return;
                }
                if (negentropyRefusal != null) {
                    connection.send(new RelayMessage.NegErr(open.subscriptionId(), negentropyRefusal).toJson());
                    return;
                }
                SortedVectorStorage.Builder items = SortedVectorStorage.builder();
                stored.stream().filter(open.filter()::matches)
                        .forEach(event -> items.add(event.createdAt(), event.id().toBytes()));
                NegentropyServer negentropy = new NegentropyServer(items.build(), 0);
                peer.negentropy.put(open.subscriptionId(), negentropy);
                connection.send(new RelayMessage.NegMsg(open.subscriptionId(),
                        negentropy.reconcileHex(open.initialMessageHex())).toJson());
            }
            case ClientMessage.NegMsg next -> {
                NegentropyServer negentropy = peer.negentropy.get(next.subscriptionId());
                if (negentropy == null) {
                    connection.send(new RelayMessage.NegErr(next.subscriptionId(), "closed: no such session").toJson());
                } else if (dropDuringNegentropy) {
                    dropDuringNegentropy = false;
                    // from another thread, as dropConnections() does: closed from inside its own worker's decode, the
                    // connection was sometimes never really closed (the client waited for its keep-alive)
                    flusher.execute(() -> drop(connection));
                } else {
                    connection.send(new RelayMessage.NegMsg(next.subscriptionId(),
                            negentropy.reconcileHex(next.messageHex())).toJson());
                }
            }
            case ClientMessage.NegClose close -> peer.negentropy.remove(close.subscriptionId());
            case ClientMessage.Auth auth -> {
                Optional<String> problem = authProblem(auth.event(), peer);
                peer.authenticated |= problem.isEmpty();
                connection.send((problem.isEmpty()
                        ? RelayMessage.Ok.accepted(auth.event().id())
                        : RelayMessage.Ok.rejected(auth.event().id(), ReasonPrefix.INVALID, problem.get())).toJson());
            }
            default -> connection.send(new RelayMessage.Notice("unsupported: " + message.type()).toJson());
        }
    }

    private RelayMessage.Ok answer(Event event, boolean mustAuthenticate) {
        Optional<String> problem = verifier.problem(event);
        if (problem.isPresent()) {
            return RelayMessage.Ok.rejected(event.id(), ReasonPrefix.INVALID, problem.get());
        }
        if (mustAuthenticate) {
            return RelayMessage.Ok.rejected(event.id(), ReasonPrefix.AUTH_REQUIRED, "sign in to publish");
        }
        for (int i = 0; i < rejections.size(); i++) {
            if (rejections.get(i).test(event)) {
                return new RelayMessage.Ok(event.id(), false, rejectionMessages.get(i));
            }
        }
        if (stored.stream().anyMatch(e -> e.id().equals(event.id()))) {
            return new RelayMessage.Ok(event.id(), true, ReasonPrefix.DUPLICATE.format("already have this event"));
        }
        storeAndFanOut(event);
        return RelayMessage.Ok.accepted(event.id());
    }

    private Optional<String> authProblem(Event auth, Peer peer) {
        if (auth.kind() != Kinds.CLIENT_AUTH) {
            return Optional.of("AUTH event must be kind 22242, was " + auth.kind());
        }
        Optional<String> forged = verifier.problem(auth);
        if (forged.isPresent()) {
            return forged;
        }
        if (!auth.firstTagValue("challenge").equals(Optional.ofNullable(peer.challenge))) {
            return Optional.of("wrong challenge");
        }
        if (!auth.firstTagValue("relay").equals(Optional.of(url.toString()))) {
            return Optional.of("wrong relay tag " + auth.firstTagValue("relay"));
        }
        return Optional.empty();
    }

    private void storeAndFanOut(Event event) {
        stored.add(event);
        for (WebSocket connection : server.getConnections()) {
            Peer peer = connection.getAttachment();
            if (peer == null) {
                continue;
            }
            peer.subscriptions.forEach((id, filters) -> {
                if (filters.stream().anyMatch(filter -> filter.matches(event))) {
                    connection.send(new RelayMessage.EventMessage(id, event).toJson());
                }
            });
        }
    }

    private static Peer peer(WebSocket connection) {
        return connection.getAttachment();
    }

    /** One connection's state. */
    private static final class Peer {
        final Map<String, List<Filter>> subscriptions = new LinkedHashMap<>();
        final Map<String, NegentropyServer> negentropy = new LinkedHashMap<>();
        String challenge;
        boolean authenticated;
    }

    private final class Server extends WebSocketServer {
        final CompletableFuture<Void> started = new CompletableFuture<>();

        Server() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket connection, Draft draft,
                ClientHandshake request) throws InvalidDataException {
            synchronized (FakeRelay.this) {
                if (refusingConnections) {
                    throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "refusing connections");
                }
            }
            return super.onWebsocketHandshakeReceivedAsServer(connection, draft, request);
        }

        @Override
        public void onStart() {
            started.complete(null);
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
            opened(connection);
        }

        @Override
        public void onMessage(WebSocket connection, String message) {
            handle(connection, message);
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
            closed(code);
        }

        @Override
        public void onError(WebSocket connection, Exception e) {
            if (connection == null) {
                started.completeExceptionally(e); // the server could not start
            }
        }
    }
}
