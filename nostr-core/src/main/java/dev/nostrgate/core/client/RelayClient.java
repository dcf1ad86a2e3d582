package dev.nostrgate.core.client;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.negentropy.NegentropyStorage;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A client of one Nostr relay over WebSocket: publishes events, subscribes with filters, counts (NIP-45),
 * reconciles sets of events (NIP-77 negentropy, {@link #reconcile}) and authenticates when asked (NIP-42).
 *
 * <pre>{@code
 * try (RelayClient client = RelayClient.builder().url("wss://relay.example.com").build()) {
 *     OkResult ok = client.send(event).join();
 * }
 * }</pre>
 *
 * <p><b>Connection.</b> Building connects nothing: the first {@link #send}, {@link #subscribe}, {@link #count} or
 * {@link #connect()} opens the connection, and from then on the client keeps it open until {@link #close()}. When
 * it drops, the client reconnects after a {@link Backoff} (250 ms doubling to 30 s, with jitter; see
 * {@link Builder#reconnect}), sends every open subscription again, and sends what was waiting. A subscription
 * whose stored events had all come ({@code EOSE}) resumes with {@code since} set to the newest {@code created_at}
 * it delivered (events at that second already delivered are not delivered twice); one cut off before its
 * {@code EOSE} sends the same {@code REQ} again, since stored events come newest first and the older ones had not
 * come yet (see {@link Subscription}). A subscription may deliver an event again, never skips one; its listener
 * hears {@link SubscriptionListener#onResubscribed} and, at the next {@code EOSE}, {@code onEose} or
 * {@code onEoseAgain}. A {@link Builder#connectionListener} hears each reconnect before any of that.
 *
 * <p><b>Requests.</b> {@link #send} and {@link #count} return futures that complete with the relay's answer, or
 * exceptionally with a {@link RelayClientException}: {@link RequestTimeoutException} when no answer came within
 * the request timeout (default 10 s, counted from the call, waiting for a connection included),
 * {@link ClientClosedException} when the client was closed first, {@link QueueFullException} (at once) when the
 * client is not connected and {@link Builder#maxQueuedRequests} requests already wait. A request sent but not
 * answered when the connection dropped is sent again on the next connection (a relay answers a repeated event
 * with {@code duplicate:}).
 *
 * <p><b>Threads.</b> All methods are thread-safe and return at once. A client owns no thread: its work runs as
 * tasks, one at a time, on virtual threads that all clients share, and its sockets on the JDK's HTTP client
 * ({@link java.net.http.WebSocket}), so a thousand clients cost a handful of platform threads. The client's tasks
 * complete the futures: a dependent stage ({@code thenAccept}) runs there unless you use an {@code ...Async}
 * variant, and should be short. Listener callbacks run one at a time, in the order the relay sent the messages,
 * apart from the client's tasks; a listener may block or wait for a future (it then holds a virtual thread, not
 * the client). Threads are daemons: an application that wants an answer before exiting waits for it. One
 * constraint comes from the JDK: its HTTP client completes a WebSocket handshake through the common
 * {@link java.util.concurrent.ForkJoinPool} (a hop in {@code HttpClient.sendAsync}), so an application that blocks
 * every thread of the common pool (it has one on a 2-core machine) holds up new connections until one is free: run
 * blocking work on threads of its own, not in {@code CompletableFuture.supplyAsync(...)} without an executor.
 *
 * <p><b>Keep-alive.</b> A connection silent for {@link Builder#pingInterval} (30 s) gets a ping; silent for twice
 * that, it is given up and reconnected, since a half-open TCP connection would otherwise be waited on forever.
 *
 * <p><b>Trust.</b> Every event from the relay is checked (id and signature) before delivery; a forged one is
 * dropped, logged at DEBUG and counted in {@link #invalidEventsDropped()}. {@code NOTICE} messages are logged at
 * INFO and passed to the {@link Builder#noticeListener}.
 */
public final class RelayClient implements AutoCloseable {
    /** How long a connection attempt may take, TCP and WebSocket handshake together. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #send} and {@link #count} wait for the relay's answer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How many requests may wait for a connection. */
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1_000;
    /** How many received messages may wait for the listeners before the client stops reading the socket. */
    public static final int DEFAULT_MAX_UNDELIVERED = 10_000;
    /** How long a connection may be silent before the client pings the relay (twice that: it gives up). */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    /** How long {@link #close()} waits for the closing handshake. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final ClientSettings settings;
    private final SerialExecutor loop = new SerialExecutor();
    private final SerialExecutor listeners = new SerialExecutor();
    private final RelaySession session;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RelayClient(ClientSettings settings) {
        this.settings = settings;
        this.session = new RelaySession(settings, loop, listeners);
    }

    /** A builder; {@link Builder#url} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The relay's URL, as given. */
    public URI url() {
        return settings.url();
    }

    /**
     * Opens the connection if it is not open (skipping a reconnect backoff in progress).
     *
     * @return completes when the connection is open, or exceptionally with {@link ConnectionFailedException} if
     *     this attempt fails (with reconnection on, the client keeps trying in the background)
     */
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> session.connect(done), done);
        return done;
    }

    /** Messages received from the relay whose listener callbacks have not finished yet (see maxUndelivered). */
    public int undelivered() {
        return session.undelivered();
    }

    /** True while the WebSocket connection is open. */
    public boolean isConnected() {
        return session.isConnected();
    }

    /**
     * Publishes an event ({@code ["EVENT", event]}). Sent at once when connected, else queued until the connection
     * opens. Sending an event that already waits for its {@code OK} sends nothing more; both futures get the one
     * answer.
     *
     * @return the relay's {@code OK}, accepted or not; or exceptionally a {@link RelayClientException}
     */
    public CompletableFuture<OkResult> send(Event event) {
        if (event == null) {
            throw new IllegalArgumentException("send needs an event");
        }
        CompletableFuture<OkResult> result = new CompletableFuture<>();
        submit(() -> session.publish(event, result), result);
        return result;
    }

    /**
     * Opens a subscription ({@code ["REQ", id, filters...]}): the listener gets the stored events, {@code EOSE},
     * then live events, until {@link Subscription#close()}, the relay's {@code CLOSED} or {@link #close()}.
     *
     * @throws IllegalArgumentException with no filter or no listener
     * @throws ClientClosedException if the client is closed
     */
    public Subscription subscribe(List<Filter> filters, SubscriptionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("subscribe needs a listener");
        }
        String id = "sub-" + nextId.incrementAndGet();
        new ClientMessage.Req(id, filters); // checks the filters now, in the caller's thread
        Subscription subscription = new Subscription(this, id, filters, listener);
        if (closed.get() || !session.execute(() -> session.subscribe(subscription))) {
            subscription.ended();
            throw new ClientClosedException("the client for " + settings.url() + " was closed");
        }
        return subscription;
    }

    /** {@link #subscribe(List, SubscriptionListener)} with one filter. */
    public Subscription subscribe(Filter filter, SubscriptionListener listener) {
        return subscribe(List.of(filter), listener);
    }

    /**
     * Asks how many events match ({@code ["COUNT", id, filters...]}, NIP-45).
     *
     * @return the count (approximate if the relay says so); or exceptionally {@link RequestRefusedException} when
     *     the relay answers {@code CLOSED}, or another {@link RelayClientException}
     * @throws IllegalArgumentException with no filter
     */
    public CompletableFuture<Long> count(List<Filter> filters) {
        ClientMessage.Count message = new ClientMessage.Count("count-" + nextId.incrementAndGet(), filters);
        CompletableFuture<Long> result = new CompletableFuture<>();
        submit(() -> session.count(message, result), result);
        return result;
    }

    /**
     * Reconciles the events the relay holds for {@code filter} with {@code local} by NIP-77 negentropy: sends
     * {@code NEG-OPEN} with a fresh subscription id, answers each {@code NEG-MSG} until the sets are reconciled, then
     * sends {@code NEG-CLOSE}. Only fingerprints and ids go over the wire, never events: fetch the
     * {@link Reconciliation#need() needed} ids with a {@code REQ} by ids afterwards.
     *
     * <p>Unlike other requests it is not sent again on a new connection (the relay's half of the state is gone):
     * it fails when the connection drops after {@code NEG-OPEN} went out. The request timeout counts from the call to
     * the first reply, then from each {@code NEG-MSG} sent to its reply.
     *
     * @param local the items this side holds for the same filter, sorted (see {@link NegentropyStorage}); read on
     *     the client's thread while the reconciliation runs, so it must not change meanwhile
     * @param frameSizeLimit the largest message this side sends, in bytes: 0 for no limit, else at least 4096
     *     (more rounds, smaller messages; relays cap a message's size, often near 500 kB)
     * @return the ids on each side only; or exceptionally {@link RequestRefusedException} when the relay answers
     *     {@code NEG-ERR} (its reason kept: {@code blocked: too many items}, or a relay without NIP-77),
     *     {@link ConnectionFailedException} when the connection drops, {@link RequestTimeoutException},
     *     {@link ClientClosedException}, or {@link RelayClientException} when a reply cannot be read
     * @throws IllegalArgumentException with no filter or storage, or a frame size limit below 4096
     */
    public CompletableFuture<Reconciliation> reconcile(Filter filter, NegentropyStorage local, int frameSizeLimit) {
        if (filter == null || local == null) {
            throw new IllegalArgumentException("reconcile needs a filter and the local items");
        }
        CompletableFuture<Reconciliation> result = new CompletableFuture<>();
        PendingReconciliation reconciliation = new PendingReconciliation("neg-" + nextId.incrementAndGet(), filter,
                local, frameSizeLimit, result);
        submit(() -> session.reconcile(reconciliation), result);
        return result;
    }

    /** How many events from the relay failed verification (id or signature) and were dropped. */
    public long invalidEventsDropped() {
        return session.invalidEvents();
    }

    /**
     * Closes the connection (code 1000), fails every waiting future with {@link ClientClosedException}, ends the
     * subscriptions (their listeners hear nothing more) and stops reconnecting. Waits briefly for the closing
     * handshake, except when called from one of the client's own tasks (a dependent stage). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<CompletableFuture<Void>> socketClosed = new CompletableFuture<>();
        try {
            loop.execute(() -> socketClosed.complete(session.shutdown()));
        } catch (RejectedExecutionException alreadyShutDown) {
            socketClosed.complete(CompletableFuture.completedFuture(null));
        }
        loop.shutdown();
        listeners.shutdown();
        if (loop.inTask()) {
            return; // the shutdown task runs right after the current one
        }
        try {
            socketClosed.thenCompose(closing -> closing).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the closing handshake did not finish in time; the socket cuts the connection itself
        }
    }

    @Override
    public String toString() {
        return "RelayClient[" + settings.url() + (isConnected() ? " connected" : "") + "]";
    }

    void unsubscribe(Subscription subscription) {
        session.execute(() -> session.unsubscribe(subscription));
    }

    /** Runs the task on the client's thread, or fails the future if the client is closed. */
    private void submit(Runnable task, CompletableFuture<?> result) {
        if (closed.get() || !session.execute(task)) {
            result.completeExceptionally(new ClientClosedException("the client for " + settings.url()
                    + " was closed"));
        } // a task that got in before the close is failed by the shutdown, which runs after it
    }

    /** Settings of a {@link RelayClient}; each has a working default except the URL. */
    public static final class Builder {
        private URI url;
        private SecKey authKey;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Backoff reconnect = Backoff.DEFAULT;
        private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
        private int maxUndelivered = DEFAULT_MAX_UNDELIVERED;
        private boolean verifyEvents = true;
        private Consumer<String> noticeListener;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private SSLContext tls;
        private ConnectionListener connectionListener;

        private Builder() {
        }

        /**
         * The relay, {@code ws://} or {@code wss://}.
         *
         * @throws IllegalArgumentException if it is not such a URL
         */
        public Builder url(String url) {
            if (url == null) {
                throw new IllegalArgumentException("the relay URL must not be null");
            }
            try {
                return url(new URI(url.strip()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a relay URL: \"" + url + "\" (" + e.getReason() + ")", e);
            }
        }

        /**
         * The relay, {@code ws://} or {@code wss://}.
         *
         * @throws IllegalArgumentException if it is not such a URL
         */
        public Builder url(URI url) {
            if (url == null) {
                throw new IllegalArgumentException("the relay URL must not be null");
            }
            this.url = ClientSettings.checkUrl(url);
            return this;
        }

        /**
         * The key to answer NIP-42 {@code AUTH} challenges with. With a key, the client answers each challenge
         * with a signed kind-22242 event, and sends again, once, what the relay refused with
         * {@code auth-required:}. Without one (the default), challenges are ignored and such refusals returned.
         */
        public Builder authKey(SecKey authKey) {
            this.authKey = authKey;
            return this;
        }

        /** Default {@link RelayClient#DEFAULT_CONNECT_TIMEOUT} (10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Default {@link RelayClient#DEFAULT_REQUEST_TIMEOUT} (10 s), counted from the call. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** How to wait between reconnection attempts. Default {@link Backoff#DEFAULT} (250 ms doubling to 30 s). */
        public Builder reconnect(Backoff backoff) {
            if (backoff == null) {
                throw new IllegalArgumentException("use noReconnect() to turn reconnection off");
            }
            this.reconnect = backoff;
            return this;
        }

        /** {@code reconnect(new Backoff(initialDelay, maxDelay))}. */
        public Builder reconnect(Duration initialDelay, Duration maxDelay) {
            return reconnect(new Backoff(initialDelay, maxDelay));
        }

        /**
         * Turns automatic reconnection off: when the connection drops, waiting requests fail with
         * {@link ConnectionFailedException} and subscriptions end ({@link SubscriptionListener#onClosed}); the next
         * call opens a new connection.
         */
        public Builder noReconnect() {
            this.reconnect = null;
            return this;
        }

        /**
         * How many requests ({@code EVENT}, {@code COUNT}) may wait while not connected; beyond that, a request
         * fails at once with {@link QueueFullException}. Subscriptions are not counted (they are sent again on
         * every connection anyway). Default {@link RelayClient#DEFAULT_MAX_QUEUED_REQUESTS} (1000).
         */
        public Builder maxQueuedRequests(int maxQueuedRequests) {
            this.maxQueuedRequests = maxQueuedRequests;
            return this;
        }

        /**
         * Backpressure: how many received messages may wait for the listeners (a subscriber that is slower than
         * the relay) before the client stops reading from the socket. The relay then sees a full TCP window and
         * slows down (or drops the connection, after which the subscription resumes as after any reconnect).
         * Memory stays bounded either way. Default {@link RelayClient#DEFAULT_MAX_UNDELIVERED}.
         */
        public Builder maxUndelivered(int maxUndelivered) {
            this.maxUndelivered = maxUndelivered;
            return this;
        }

        /**
         * Whether events from the relay are verified (id recomputed, signature checked) before they reach a
         * listener; on by default, and forged events are then dropped and counted. Turn it off only when the
         * events are verified later anyway, as the gateway does when it stores them: a signature check costs
         * about 30 µs.
         */
        public Builder verifyEvents(boolean verifyEvents) {
            this.verifyEvents = verifyEvents;
            return this;
        }

        /** Receives the text of each {@code NOTICE}, on the listener thread. */
        public Builder noticeListener(Consumer<String> noticeListener) {
            this.noticeListener = noticeListener;
            return this;
        }

        /**
         * How long the connection may be silent before the client sends a ping; with no answer within as long
         * again, it gives the connection up and reconnects. Default {@link RelayClient#DEFAULT_PING_INTERVAL}.
         */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
            return this;
        }

        /**
         * Hears the connection open ({@link ConnectionListener#onConnected}, saying whether it is a reconnect) and
         * drop, on the listener thread, in order with the subscription callbacks. Default: nobody listens.
         */
        public Builder connectionListener(ConnectionListener connectionListener) {
            this.connectionListener = connectionListener;
            return this;
        }

        /**
         * The TLS context for {@code wss://} relays (its trust store decides which certificates are accepted);
         * default the JVM's.
         */
        public Builder tls(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        /**
         * The client, not connected yet (see {@link RelayClient}).
         *
         * @throws IllegalArgumentException if the URL is missing or a setting is out of range, saying which
         */
        public RelayClient build() {
            return new RelayClient(new ClientSettings(url, Optional.ofNullable(authKey), connectTimeout,
                    requestTimeout, Optional.ofNullable(reconnect), maxQueuedRequests,
                    Optional.ofNullable(noticeListener), maxUndelivered, verifyEvents, pingInterval,
                    Optional.ofNullable(tls), Optional.ofNullable(connectionListener)));
        }
    }
}
