package dev.nostrgate.core.client;

import dev.nostrgate.core.Backoff;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import dev.nostrgate.core.negentropy.NegentropyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a {@link RelayClient} knows, changed only on its one thread: the connection and its state, requests
 * waiting for answers, open subscriptions and NIP-42 authentication. Public calls and socket callbacks arrive here
 * as tasks, so no lock is needed and the relay's messages are handled in the order they came.
 *
 * <p>Futures are completed on this thread; listener callbacks are handed to the listener thread, so a listener may
 * block, or wait for a future, without stalling the connection.
 */
final class RelaySession {
    private static final Logger log = LoggerFactory.getLogger(RelayClient.class);

    enum State { IDLE, CONNECTING, OPEN, WAITING_TO_RECONNECT, CLOSED }

    private final ClientSettings settings;
    private final String url;
    private final SerialExecutor loop;
    private final SerialExecutor listeners;
    /** Messages between the socket and the listeners: the client's backpressure (see RelaySocket). */
    private final AtomicInteger undelivered = new AtomicInteger();
    private final EventVerifier verifier = new EventVerifier();
    private final AtomicLong invalidEvents = new AtomicLong();
    private volatile boolean connected;

    private State state = State.IDLE;
    private RelaySocket socket;
    private ScheduledFuture<?> connectDeadline;
    private ScheduledFuture<?> reconnectTimer;
    private int failedAttempts;
    /** A connection was open before: the next one is a reconnect ({@link ConnectionListener#onConnected}). */
    private boolean everOpened;
    private String lastProblem = "";
    private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
    private long nextSequence;
    private final Map<EventId, PendingRequest.Publish> publishes = new LinkedHashMap<>();
    private final Map<String, PendingRequest.Count> counts = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, PendingReconciliation> reconciliations = new LinkedHashMap<>();
    // NIP-42, for the current connection
    private String challenge;
    private EventId authEventId;
    private boolean authenticated;

    RelaySession(ClientSettings settings, SerialExecutor loop, SerialExecutor listeners) {
        this.settings = settings;
        this.url = settings.url().toString();
        this.loop = loop;
        this.listeners = listeners;
    }

    boolean isConnected() {
        return connected;
    }

    int undelivered() {
        return undelivered.get();
    }

    long invalidEvents() {
        return invalidEvents.get();
    }

    /**
     * Handles a message from the relay on the session's executor, then runs {@code delivered} after every listener
     * callback it caused: how the socket learns it may read one more.
     *
     * @return false if the client is closed (the message is dropped)
     */
    boolean arrived(RelaySocket from, String text, Runnable delivered) {
        return execute(() -> {
            try {
                received(from, text);
            } finally {
                afterDeliveries(delivered);
            }
        });
    }

    /** Runs a task on the listener executor after every callback queued so far; at once if the client is closed. */
    private void afterDeliveries(Runnable task) {
        try {
            listeners.execute(task);
        } catch (RejectedExecutionException closed) {
            task.run();
        }
    }

    /** Runs a task on the session's thread; false if the client is closed (the task is dropped). */
    boolean execute(Runnable task) {
        try {
            loop.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException closed) {
            log.trace("{}: client closed, dropping a task", url);
            return false;
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return ClientThreads.TIMER.schedule(() -> execute(task), delay.toMillis(), MILLISECONDS);
    }

    /** The executor would keep an exception in a future nobody reads: say it, it is a bug here. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("{}: relay client bug", url, e);
            }
        };
    }

    // ---- public calls, on the session thread

    void connect(CompletableFuture<Void> done) {
        switch (state) {
            case CLOSED -> done.completeExceptionally(closedException());
            case OPEN -> done.complete(null);
            case WAITING_TO_RECONNECT -> { // asked for explicitly: no reason to wait out the backoff
                connectWaiters.add(done);
                cancel(reconnectTimer);
                openSocket();
            }
            case IDLE, CONNECTING -> {
                connectWaiters.add(done);
                ensureConnecting();
            }
        }
    }

    void publish(Event event, CompletableFuture<OkResult> result) {
        if (state == State.CLOSED) {
            result.completeExceptionally(closedException());
            return;
        }
        PendingRequest.Publish same = publishes.get(event.id());
        if (same != null) { // one EVENT on the wire, one OK: every caller gets it
            same.answerTo(result);
            return;
        }
        if (admitted(result)) {
            PendingRequest.Publish request = new PendingRequest.Publish(nextSequence++, event);
            request.answerTo(result);
            publishes.put(event.id(), request);
            start(request);
        }
    }

    void count(ClientMessage.Count message, CompletableFuture<Long> result) {
        if (state == State.CLOSED) {
            result.completeExceptionally(closedException());
            return;
        }
        if (admitted(result)) {
            PendingRequest.Count request = new PendingRequest.Count(nextSequence++, message, result);
            counts.put(message.subscriptionId(), request);
            start(request);
        }
    }

    void reconcile(PendingReconciliation reconciliation) {
        if (state == State.CLOSED) {
            reconciliation.result.completeExceptionally(closedException());
            return;
        }
        reconciliations.put(reconciliation.subscriptionId, reconciliation);
        reconciliation.deadline = schedule(() -> reconcileTimedOut(reconciliation), settings.requestTimeout());
        if (state == State.OPEN) {
            openReconciliation(reconciliation);
        } else {
            ensureConnecting();
        }
    }

    void subscribe(Subscription subscription) {
        if (state == State.CLOSED || !subscription.isOpen()) {
            subscription.ended();
            return;
        }
        subscriptions.put(subscription.id(), subscription);
        if (state == State.OPEN) {
            sendReq(subscription);
        } else {
            ensureConnecting();
        }
    }

    void unsubscribe(Subscription subscription) {
        if (subscriptions.remove(subscription.id()) != null && state == State.OPEN && !subscription.auth.isHeld()) {
            send(new ClientMessage.Close(subscription.id()).toJson());
        }
    }

    /**
     * Closes the connection with 1000 and fails what waits. Listeners hear nothing more.
     *
     * @return completes when the WebSocket is closed
     */
    CompletableFuture<Void> shutdown() {
        if (state == State.CLOSED) {
            return CompletableFuture.completedFuture(null);
        }
        state = State.CLOSED;
        connected = false;
        cancel(connectDeadline);
        cancel(reconnectTimer);
        ClientClosedException closed = closedException();
        for (PendingRequest request : pendingInOrder()) {
            cancel(request.deadline);
            request.fail(closed);
        }
        publishes.clear();
        counts.clear();
        for (PendingReconciliation reconciliation : reconciliations.values()) {
            cancel(reconciliation.deadline);
            reconciliation.result.completeExceptionally(closed);
        }
        reconciliations.clear();
        connectWaiters.forEach(waiter -> waiter.completeExceptionally(closed));
        connectWaiters.clear();
        subscriptions.values().forEach(Subscription::ended);
        subscriptions.clear();
        RelaySocket current = socket;
        socket = null;
        if (current == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (current.isOpen()) {
            current.close(1000, "client closed");
        } else {
            current.abort();
        }
        log.debug("{}: closed by the client", url);
        return current.closed();
    }

    // ---- connection

    private void ensureConnecting() {
        if (state == State.IDLE) {
            openSocket();
        } // CONNECTING: under way; WAITING_TO_RECONNECT: the timer opens it
    }

    private void openSocket() {
        reconnectTimer = null;
        if (state == State.CLOSED) {
            return;
        }
        RelaySocket attempt = new RelaySocket(settings, this, undelivered);
        socket = attempt;
        state = State.CONNECTING;
        connectDeadline = schedule(() -> connectTimedOut(attempt), settings.connectTimeout());
        attempt.connect(); // returns at once
    }

    private void connectTimedOut(RelaySocket attempt) {
        if (attempt == socket && state == State.CONNECTING) {
            attempt.abort();
            lost(attempt, "could not connect: no WebSocket handshake within " + settings.connectTimeout().toMillis()
                    + " ms");
        }
    }

    void opened(RelaySocket opened) {
        if (opened != socket) {
            opened.close(1001, "superseded"); // a late attempt that was given up on
            return;
        }
        cancel(connectDeadline);
        state = State.OPEN;
        connected = true;
        failedAttempts = 0;
        lastProblem = "";
        log.debug("{}: connected", url);
        connectWaiters.forEach(waiter -> waiter.complete(null));
        connectWaiters.clear();
        boolean reconnected = everOpened;
        everOpened = true;
        // queued before the REQs' callbacks below: the listener hears of the reconnect before anything it caused
        settings.connectionListener().ifPresent(listener -> onListenerThread(() -> listener.onConnected(reconnected)));
        subscriptions.values().forEach(this::sendReq);
        for (PendingRequest request : pendingInOrder()) {
            if (!request.written) {
                write(request);
            }
        }
        List.copyOf(reconciliations.values()).forEach(this::openReconciliation);
    }

    void lost(RelaySocket closed, String problem) {
        if (closed != socket) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        socket = null;
        connected = false;
        cancel(connectDeadline);
        lastProblem = problem;
        challenge = null;
        authEventId = null;
        authenticated = false;
        pendingInOrder().forEach(PendingRequest::newConnection);
        failOpenedReconciliations(problem);
        subscriptions.values().forEach(subscription -> subscription.auth.reset());
        ConnectionFailedException failure = new ConnectionFailedException(url + ": " + problem);
        connectWaiters.forEach(waiter -> waiter.completeExceptionally(failure));
        connectWaiters.clear();
        if (wasOpen) {
            settings.connectionListener()
                    .ifPresent(listener -> onListenerThread(() -> listener.onDisconnected(problem)));
        }

        Optional<Backoff> reconnect = settings.reconnect();
        if (reconnect.isPresent()) {
            Duration delay = reconnect.get().delay(failedAttempts++, ThreadLocalRandom.current());
            state = State.WAITING_TO_RECONNECT;
            if (wasOpen) {
                log.info("{}: {}; reconnecting in {} ms", url, problem, delay.toMillis());
            } else {
                log.debug("{}: {} (attempt {}); retrying in {} ms", url, problem, failedAttempts, delay.toMillis());
            }
            reconnectTimer = schedule(this::openSocket, delay);
            return;
        }
        state = State.IDLE;
        log.info("{}: {}; not reconnecting (reconnect is off)", url, problem);
        ConnectionFailedException gone = new ConnectionFailedException(url + ": " + problem
                + "; the client does not reconnect by itself (reconnect is off)");
        for (PendingRequest request : pendingInOrder()) {
            remove(request);
            request.fail(gone);
        }
        for (PendingReconciliation reconciliation : reconciliations.values()) {
            cancel(reconciliation.deadline);
            reconciliation.result.completeExceptionally(gone);
        }
        reconciliations.clear();
        for (Subscription subscription : List.copyOf(subscriptions.values())) {
            end(subscription, ReasonPrefix.ERROR.format(problem));
        }
    }

    // ---- what the relay says

    void received(RelaySocket from, String text) {
        if (from != socket) {
            return;
        }
        RelayMessage message;
        try {
            message = RelayMessages.parse(text);
        } catch (MalformedMessageException e) {
            log.debug("{}: ignoring a malformed message: {}", url, e.getMessage());
            return;
        }
        switch (message) {
            case RelayMessage.EventMessage event -> onEvent(event);
            case RelayMessage.Ok ok -> onOk(ok);
            case RelayMessage.OkAsSent ok -> // this client sends only valid ids: not an answer to any of its events
                    log.debug("{}: OK for {}, which is no event id: {}", url, ok.idAsSent(), ok.message());
            case RelayMessage.Eose eose -> onEose(eose);
            case RelayMessage.Closed closed -> onClosed(closed);
            case RelayMessage.Notice notice -> onNotice(notice.message());
            case RelayMessage.AuthChallenge auth -> onChallenge(auth.challenge());
            case RelayMessage.CountResult count -> onCount(count);
            case RelayMessage.NegMsg negentropy -> onNegMsg(negentropy, text.length());
            case RelayMessage.NegErr negentropy -> onNegErr(negentropy);
        }
    }

    private void onEvent(RelayMessage.EventMessage message) {
        Subscription subscription = subscriptions.get(message.subscriptionId());
        if (subscription == null || !subscription.isOpen()) {
            log.debug("{}: event for subscription {}, which is not open", url, message.subscriptionId());
            return;
        }
        Event event = message.event();
        Optional<String> problem = settings.verifyEvents() ? verifier.problem(event) : Optional.empty();
        if (problem.isPresent()) {
            invalidEvents.incrementAndGet();
            log.debug("{}: dropped event {} for {}: {}", url, event.id(), subscription.id(), problem.get());
            return;
        }
        if (subscription.firstDelivery(event)) {
            deliver(subscription, listener -> listener.onEvent(event));
        }
    }

    private void onEose(RelayMessage.Eose eose) {
        Subscription subscription = subscriptions.get(eose.subscriptionId());
        if (subscription != null && subscription.storedPartComplete()) {
            deliver(subscription, subscription.firstEose() ? SubscriptionListener::onEose
                    : SubscriptionListener::onEoseAgain);
        }
    }

    private void onOk(RelayMessage.Ok ok) {
        if (ok.eventId().equals(authEventId)) {
            authAnswered(ok);
            return;
        }
        PendingRequest.Publish request = publishes.get(ok.eventId());
        if (request == null) {
            log.debug("{}: OK for event {}, which awaits none", url, ok.eventId());
            return;
        }
        if (!ok.accepted() && ok.reason().is(ReasonPrefix.AUTH_REQUIRED) && retryAfterAuth(request, ok.message())) {
            return;
        }
        remove(request);
        request.result.complete(OkResult.of(ok));
    }

    private void onCount(RelayMessage.CountResult count) {
        PendingRequest.Count request = counts.get(count.subscriptionId());
        if (request == null) {
            log.debug("{}: COUNT result for {}, which awaits none", url, count.subscriptionId());
            return;
        }
        remove(request);
        request.result.complete(count.count());
    }

    private void onClosed(RelayMessage.Closed closed) {
        boolean authRequired = closed.reason().is(ReasonPrefix.AUTH_REQUIRED);
        PendingRequest.Count count = counts.get(closed.subscriptionId());
        if (count != null) {
            if (!(authRequired && retryAfterAuth(count, closed.message()))) {
                remove(count);
                count.refuse(closed.message(), url);
            }
            return;
        }
        Subscription subscription = subscriptions.get(closed.subscriptionId());
        if (subscription == null) {
            log.debug("{}: CLOSED for {}, which is not open: {}", url, closed.subscriptionId(), closed.message());
            return;
        }
        if (authRequired && settings.authKey().isPresent() && subscription.auth.mayRetry()) {
            if (authenticated) { // it was sent before authentication finished
                subscription.auth.released();
                sendReq(subscription);
            } else {
                subscription.auth.hold(closed.message());
                authenticateIfChallenged();
            }
            return;
        }
        end(subscription, closed.message());
    }

    private void onNotice(String message) {
        log.info("{}: NOTICE {}", url, message);
        settings.noticeListener().ifPresent(listener -> onListenerThread(() -> listener.accept(message)));
    }

    // ---- NIP-42

    private void onChallenge(String challenge) {
        this.challenge = challenge;
        if (settings.authKey().isPresent()) {
            authenticate();
        } else {
            log.debug("{}: the relay asks clients to authenticate (NIP-42); no authKey is set", url);
        }
    }

    /**
     * Holds a request the relay refused with {@code auth-required:} until authentication is accepted, then sends
     * it once more. False when there is no key, or it was already sent as an authenticated client: the refusal
     * stands.
     */
    private boolean retryAfterAuth(PendingRequest request, String refusal) {
        if (settings.authKey().isEmpty() || !request.auth.mayRetry()) {
            return false;
        }
        if (authenticated) { // it was sent before authentication finished
            request.auth.released();
            write(request);
        } else {
            request.holdForAuth(refusal);
            authenticateIfChallenged();
        }
        return true;
    }

    private void authenticateIfChallenged() {
        if (challenge != null && authEventId == null) {
            authenticate();
        } // else: an AUTH is on its way, or the relay has not sent a challenge yet; either answer resumes the wait
    }

    private void authenticate() {
        SecKey key = settings.authKey().orElseThrow();
        Event auth = new UnsignedEvent(key.pubKey(), System.currentTimeMillis() / 1000, Kinds.CLIENT_AUTH,
                List.of(Tag.of("relay", url), Tag.of("challenge", challenge)), "").sign(key);
        if (send(new ClientMessage.Auth(auth).toJson())) {
            authEventId = auth.id();
            log.debug("{}: sent AUTH as {}", url, key.pubKey());
        }
    }

    private void authAnswered(RelayMessage.Ok ok) {
        authEventId = null;
        List<PendingRequest> heldRequests = pendingInOrder().stream().filter(request -> request.auth.isHeld()).toList();
        List<Subscription> heldSubscriptions =
                subscriptions.values().stream().filter(subscription -> subscription.auth.isHeld()).toList();
        if (ok.accepted()) {
            authenticated = true;
            log.debug("{}: authenticated; sending {} held requests and {} subscriptions again", url,
                    heldRequests.size(), heldSubscriptions.size());
            for (PendingRequest request : heldRequests) {
                request.auth.released();
                write(request);
            }
            for (Subscription subscription : heldSubscriptions) {
                subscription.auth.released();
                sendReq(subscription);
            }
            return;
        }
        log.info("{}: authentication refused: {}", url, ok.message());
        for (PendingRequest request : heldRequests) {
            remove(request);
            request.refuse(request.auth.heldRefusal(), url);
        }
        for (Subscription subscription : heldSubscriptions) {
            end(subscription, subscription.auth.heldRefusal());
        }
    }

    // ---- requests

    /** False (and the future failed) when not connected and the queue is full. */
    private boolean admitted(CompletableFuture<?> result) {
        if (state == State.OPEN) {
            return true;
        }
        long queued = Stream.concat(publishes.values().stream(), counts.values().stream())
                .filter(request -> !request.written)
                .count();
        if (queued < settings.maxQueuedRequests()) {
            return true;
        }
        result.completeExceptionally(new QueueFullException(url + " is not connected (" + connectionState()
                + ") and " + queued + " requests already wait to be sent (maxQueuedRequests)"));
        return false;
    }

    private void start(PendingRequest request) {
        request.deadline = schedule(() -> timedOut(request), settings.requestTimeout());
        if (state == State.OPEN) {
            write(request);
        } else {
            ensureConnecting();
        }
    }

    private void write(PendingRequest request) {
        if (send(request.json)) {
            request.written(authenticated);
        }
    }

    private void timedOut(PendingRequest request) {
        if (!remove(request)) {
            return;
        }
        String why;
        if (request.auth.isHeld()) {
            why = "refused with \"" + request.auth.heldRefusal() + "\" and still authenticating ("
                    + (challenge == null ? "no AUTH challenge from the relay yet" : "AUTH sent, no OK yet") + ")";
        } else if (request.written) {
            why = "sent, no answer";
        } else {
            why = "never sent: " + connectionState();
        }
        request.fail(new RequestTimeoutException("no " + request.awaited() + " from " + url + " within "
                + settings.requestTimeout().toMillis() + " ms (" + why + ")"));
    }

    /** Forgets a request; false if it was already answered. */
    private boolean remove(PendingRequest request) {
        boolean removed = switch (request) {
            case PendingRequest.Publish publish -> publishes.remove(publish.event.id(), publish);
            case PendingRequest.Count count -> counts.remove(count.subscriptionId, count);
        };
        if (removed) {
            cancel(request.deadline);
        }
        return removed;
    }

    private List<PendingRequest> pendingInOrder() {
        return Stream.<PendingRequest>concat(publishes.values().stream(), counts.values().stream())
                .sorted(Comparator.comparingLong(request -> request.sequence))
                .toList();
    }

    // ---- NIP-77

    private void openReconciliation(PendingReconciliation reconciliation) {
        if (send(reconciliation.open())) {
            reconciliation.opened = true;
        }
    }

    private void onNegMsg(RelayMessage.NegMsg message, int textBytes) {
        PendingReconciliation reconciliation = reconciliations.get(message.subscriptionId());
        if (reconciliation == null || !reconciliation.opened) {
            log.debug("{}: NEG-MSG for {}, which reconciles nothing", url, message.subscriptionId());
            return;
        }
        Optional<String> next;
        try {
            next = reconciliation.reply(message.messageHex(), textBytes);
        } catch (NegentropyException e) {
            endReconciliation(reconciliation);
            reconciliation.result.completeExceptionally(new RelayClientException(url + " sent a NEG-MSG for "
                    + reconciliation.subscriptionId + " that cannot be read: " + e.getMessage()));
            return;
        }
        if (next.isEmpty()) {
            endReconciliation(reconciliation);
            reconciliation.result.complete(reconciliation.outcome());
            return;
        }
        // a new round: the timeout counts from now, so that a long reconciliation is bounded per round, not in all
        cancel(reconciliation.deadline);
        reconciliation.deadline = schedule(() -> reconcileTimedOut(reconciliation), settings.requestTimeout());
        send(next.get()); // if this fails the connection is going: its loss fails the reconciliation
    }

    private void onNegErr(RelayMessage.NegErr error) {
        PendingReconciliation reconciliation = reconciliations.remove(error.subscriptionId());
        if (reconciliation == null) {
            log.debug("{}: NEG-ERR for {}, which reconciles nothing: {}", url, error.subscriptionId(), error.reason());
            return;
        }
        cancel(reconciliation.deadline); // the relay has closed its side: no NEG-CLOSE
        reconciliation.result.completeExceptionally(new RequestRefusedException(url + " refused NEG-OPEN "
                + reconciliation.subscriptionId + ": " + error.reason(), error.reason()));
    }

    private void reconcileTimedOut(PendingReconciliation reconciliation) {
        if (reconciliations.get(reconciliation.subscriptionId) != reconciliation) {
            return;
        }
        String why = reconciliation.opened
                ? "sent, no NEG-MSG after " + reconciliation.roundTrips() + " rounds"
                : "never sent: " + connectionState();
        endReconciliation(reconciliation);
        reconciliation.result.completeExceptionally(new RequestTimeoutException("no NEG-MSG for "
                + reconciliation.subscriptionId + " from " + url + " within " + settings.requestTimeout().toMillis()
                + " ms (" + why + ")"));
    }

    /** Forgets a reconciliation and tells the relay to forget its side too, if it has one. */
    private void endReconciliation(PendingReconciliation reconciliation) {
        reconciliations.remove(reconciliation.subscriptionId);
        cancel(reconciliation.deadline);
        if (reconciliation.opened) {
            send(reconciliation.close());
        }
    }

    /**
     * The relay's half of a reconciliation died with the connection: sending NEG-OPEN again would start over with
     * ids already reported, so the caller decides. Those not sent yet wait for the next connection.
     */
    private void failOpenedReconciliations(String problem) {
        for (PendingReconciliation reconciliation : List.copyOf(reconciliations.values())) {
            if (reconciliation.opened) {
                reconciliations.remove(reconciliation.subscriptionId);
                cancel(reconciliation.deadline);
                reconciliation.result.completeExceptionally(new ConnectionFailedException(url
                        + ": connection lost during NEG-OPEN " + reconciliation.subscriptionId + " (" + problem + ")"));
            }
        }
    }

    // ---- subscriptions

    private void sendReq(Subscription subscription) {
        List<Filter> filters = subscription.filtersToSend();
        if (send(new ClientMessage.Req(subscription.id(), filters).toJson())) {
            subscription.auth.sent(authenticated);
            if (subscription.reqSent()) { // before any event the relay answers it with
                deliver(subscription, SubscriptionListener::onResubscribed);
            }
        }
    }

    private void end(Subscription subscription, String reason) {
        subscriptions.remove(subscription.id());
        subscription.ended();
        onListenerThread(() -> subscription.listener().onClosed(reason));
    }

    /** Hands a callback to the listener thread; skipped there if the subscription has ended meanwhile. */
    private void deliver(Subscription subscription, Consumer<SubscriptionListener> callback) {
        onListenerThread(() -> {
            if (subscription.isOpen()) {
                callback.accept(subscription.listener());
            }
        });
    }

    private void onListenerThread(Runnable callback) {
        try {
            listeners.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    log.warn("{}: a listener threw (a bug in the listener)", url, e);
                }
            });
        } catch (RejectedExecutionException closed) {
            log.trace("{}: client closed, dropping a listener call", url);
        }
    }

    // ---- helpers

    /** Writes a message on the open connection; false if it is not open (its close callback is on its way). */
    private boolean send(String json) {
        return state == State.OPEN && socket != null && socket.send(json);
    }

    private String connectionState() {
        String last = lastProblem.isEmpty() ? "" : "; last problem: " + lastProblem;
        return switch (state) {
            case OPEN -> "connected";
            case CONNECTING -> "connecting" + last;
            case WAITING_TO_RECONNECT -> "not connected after " + failedAttempts + " attempts" + last;
            case IDLE -> "not connected" + last;
            case CLOSED -> "client closed";
        };
    }

    private ClientClosedException closedException() {
        return new ClientClosedException("the client for " + url + " was closed");
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
