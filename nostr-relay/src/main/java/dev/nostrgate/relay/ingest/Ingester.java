package dev.nostrgate.relay.ingest;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.metrics.RelayMetrics;
import dev.nostrgate.relay.ingest.ClientSession;
import dev.nostrgate.relay.store.EventWriter;
import dev.nostrgate.relay.subscription.LiveMonitor;
import dev.nostrgate.relay.subscription.QueryWorker;
import dev.nostrgate.relay.subscription.Reconciliations;
import dev.nostrgate.relay.subscription.Subscription;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage (strfry's Ingester): turns one client message into work for the other stages, on the
 * connection's ingest lane. It parses, applies the limits and NIP-42 rules, verifies events, and then hands an
 * event to the writer (or, if ephemeral, straight to the monitor), a subscription to the monitor, a count to the
 * query worker. Every refusal is answered on the wire with a NIP-01 prefix and logged at DEBUG only.
 *
 * <p>A read-only relay refuses every EVENT first ({@code restricted:}); AUTH, REQ and COUNT work as usual.
 * Verification order, cheapest first: rate limit, authentication, the writer's recent ids (a duplicate costs a
 * hash lookup), the relay's limits, then the id and signature.
 */
public final class Ingester {
    private static final Logger log = LoggerFactory.getLogger(Ingester.class);
    static final String SEARCH_UNSUPPORTED = "blocked: NIP-50 search is not supported on this relay";
    static final String READ_ONLY = "this relay is read-only";

    private final RelayConfig.Limits limits;
    private final RelayConfig.Auth auth;
    private final boolean readOnly;
    private final EventWriter writer;
    private final LiveMonitor monitor;
    private final QueryWorker queries;
    private final Reconciliations reconciliations;
    private final EventVerifier verifier;
    private final EventValidator validator;
    private final AuthChecker authChecker;
    private final RelayMetrics metrics;
    private final Clock clock;
    /** Live events held for a subscription until its EOSE; a connection's together fit its outbound limit. */
    private final long heldBytesPerSubscription;

    public Ingester(RelayConfig config, EventWriter writer, LiveMonitor monitor, QueryWorker queries,
                    Reconciliations reconciliations, EventVerifier verifier, RelayMetrics metrics, Clock clock) {
        this.limits = config.limits();
        this.auth = config.auth();
        this.readOnly = config.server().readOnly();
        this.writer = writer;
        this.monitor = monitor;
        this.queries = queries;
        this.reconciliations = reconciliations;
        this.verifier = verifier;
        this.validator = new EventValidator(config.limits());
        this.authChecker = new AuthChecker(config.server().publicUrl(), verifier);
        this.metrics = metrics;
        this.clock = clock;
        this.heldBytesPerSubscription = Math.max(limits.maxMessageBytes(),
                limits.maxOutboundBytes() / limits.maxSubscriptions());
    }

    /** One WebSocket text message from the connection (its lane). */
    public void handle(ClientSession connection, byte[] utf8) {
        if (!connection.isOpen()) {
            return;
        }
        ClientMessage message;
        try {
            message = ClientMessages.parse(utf8);
        } catch (MalformedMessageException e) {
            log.debug("{}: malformed message: {}", connection, e.getMessage());
            RelayMessage reply = e.reply();
            switch (reply) {
                case RelayMessage.Ok ok -> unreadableEventRejected(ok.message());
                case RelayMessage.OkAsSent ok -> unreadableEventRejected(ok.message());
                case RelayMessage.Closed closed -> metrics.subscriptionClosed(closed.message());
                // NIP-77: a NEG-ERR ends the session by that id, if one is open
                case RelayMessage.NegErr error -> reconciliations.close(connection, error.subscriptionId());
                default -> metrics.notice();
            }
            connection.send(reply);
            return;
        }
        switch (message) {
            case ClientMessage.Publish publish -> publish(connection, publish.event());
            case ClientMessage.Req req -> req(connection, req.subscriptionId(), req.filters());
            case ClientMessage.Close close -> close(connection, close.subscriptionId());
            case ClientMessage.Auth authenticate -> authenticate(connection, authenticate.event());
            case ClientMessage.Count count -> count(connection, count.subscriptionId(), count.filters());
            case ClientMessage.NegOpen open -> negentropyOpen(connection, open);
            case ClientMessage.NegMsg negMsg ->
                    reconciliations.message(connection, negMsg.subscriptionId(), negMsg.messageHex());
            case ClientMessage.NegClose negClose -> reconciliations.close(connection, negClose.subscriptionId());
        }
    }

    /** An EVENT (or AUTH) that could not be read was still an event received, and its OK a rejection. */
    private void unreadableEventRejected(String okMessage) {
        metrics.eventReceived();
        metrics.eventRejected(okMessage);
    }

    /** The connection is gone (its lane): its subscriptions leave the index. */
    public void connectionClosed(ClientSession connection) {
        for (Subscription subscription : connection.subscriptions().values()) {
            subscription.cancel();
            monitor.unsubscribe(subscription);
        }
        connection.subscriptions().clear();
        connection.negentropySessions().closeAll();
    }

    private void publish(ClientSession connection, Event event) {
        metrics.eventReceived();
        EventId id = event.id();
        if (readOnly) {
            reject(connection, id, ReasonPrefix.RESTRICTED, READ_ONLY);
            return;
        }
        if (!connection.rateLimiter().tryAcquire()) {
            reject(connection, id, ReasonPrefix.RATE_LIMITED, "slow down: at most " + limits.eventsPerSecond()
                    + " events per second (bursts of " + limits.eventBurst() + ")");
            return;
        }
        if (auth.requiredForWrites() && connection.authenticated().isEmpty()) {
            reject(connection, id, ReasonPrefix.AUTH_REQUIRED,
                    "this relay accepts events only from authenticated clients (NIP-42); answer the AUTH challenge");
            return;
        }
        long now = clock.millis() / 1000;
        OptionalLong expiration = event.expiration();
        if (expiration.isPresent() && expiration.getAsLong() <= now) { // NIP-40; before the duplicate check
            reject(connection, id, ReasonPrefix.INVALID, "event has expired");
            return;
        }
        if (writer.recentlyStored(id)) {
            connection.send(new RelayMessage.Ok(id, true, ReasonPrefix.DUPLICATE.format("already have this event")));
            return;
        }
        Optional<String> problem = validator.problem(event, now);
        if (problem.isEmpty() && event.kind() == Kinds.CLIENT_AUTH) {
            problem = Optional.of("kind " + Kinds.CLIENT_AUTH
                    + " authenticates (send it with AUTH); it is never published");
        }
        if (problem.isPresent()) {
            reject(connection, id, ReasonPrefix.INVALID, problem.get());
            return;
        }
        if (isProtected(event) && !connection.authenticated().contains(event.pubkey())) {
            reject(connection, id, ReasonPrefix.AUTH_REQUIRED,
                    "this event is protected (NIP-70): authenticate as its author to publish it");
            return;
        }
        problem = verifier.problem(event);
        if (problem.isPresent()) {
            reject(connection, id, ReasonPrefix.INVALID, problem.get());
            return;
        }
        if (event.category() == KindCategory.EPHEMERAL) {
            monitor.ephemeral(event);
            connection.send(RelayMessage.Ok.accepted(id));
            return;
        }
        writer.submit(event).whenComplete((outcome, failure) -> {
            if (failure != null) {
                log.error("writer failed {} for {}", id, connection, failure);
                reject(connection, id, ReasonPrefix.ERROR, "could not store the event; try again");
            } else {
                if (!outcome.accepted()) {
                    metrics.eventRejected(outcome.message());
                }
                connection.send(new RelayMessage.Ok(id, outcome.accepted(), outcome.message()));
            }
        });
    }

    private void req(ClientSession connection, String subscriptionId, List<Filter> filters) {
        Optional<String> refusal = readRefusal(connection, subscriptionId, filters);
        if (refusal.isEmpty() && !connection.subscriptions().containsKey(subscriptionId)
                && connection.subscriptions().size() >= limits.maxSubscriptions()) {
            refusal = Optional.of(ReasonPrefix.RATE_LIMITED.format("too many open subscriptions (at most "
                    + limits.maxSubscriptions() + " per connection); CLOSE one first"));
        }
        if (refusal.isPresent()) {
            close(connection, subscriptionId); // the id is CLOSED now: an open one by that id must not go on
            refuse(connection, subscriptionId, refusal.get());
            return;
        }
        metrics.req();
        Subscription subscription = new Subscription(connection, subscriptionId, filters, heldBytesPerSubscription);
        Subscription replaced = connection.subscriptions().put(subscriptionId, subscription);
        if (replaced != null) { // NIP-01: a REQ with an open id replaces that subscription
            replaced.cancel();
            monitor.unsubscribe(replaced);
        }
        monitor.subscribe(subscription);
    }

    private void close(ClientSession connection, String subscriptionId) {
        Subscription subscription = connection.subscriptions().remove(subscriptionId);
        if (subscription != null) {
            subscription.cancel();
            monitor.unsubscribe(subscription);
        }
    }

    /** NIP-77: the same read rules as a REQ (auth, id length, no search); a refusal ends a session by that id. */
    private void negentropyOpen(ClientSession connection, ClientMessage.NegOpen open) {
        Optional<String> refusal = readRefusal(connection, open.subscriptionId(), List.of(open.filter()));
        if (refusal.isPresent()) {
            reconciliations.close(connection, open.subscriptionId());
            log.debug("{}: negentropy {} refused: {}", connection, open.subscriptionId(), refusal.get());
            connection.send(new RelayMessage.NegErr(open.subscriptionId(), refusal.get()));
            return;
        }
        reconciliations.open(connection, open.subscriptionId(), open.filter(), open.initialMessageHex());
    }

    private void count(ClientSession connection, String subscriptionId, List<Filter> filters) {
        Optional<String> refusal = readRefusal(connection, subscriptionId, filters);
        if (refusal.isPresent()) {
            refuse(connection, subscriptionId, refusal.get());
            return;
        }
        metrics.count();
        queries.count(connection, subscriptionId, filters);
    }

    /** Why a REQ, COUNT or NEG-OPEN is refused, as a CLOSED (or NEG-ERR) message, or empty. */
    private Optional<String> readRefusal(ClientSession connection, String subscriptionId, List<Filter> filters) {
        if (subscriptionId.length() > limits.maxSubidLength()) {
            return Optional.of(ReasonPrefix.INVALID.format("subscription id longer than " + limits.maxSubidLength()
                    + " characters"));
        }
        if (auth.requiredForReads() && connection.authenticated().isEmpty()) {
            return Optional.of(ReasonPrefix.AUTH_REQUIRED.format(
                    "this relay serves only authenticated clients (NIP-42); answer the AUTH challenge"));
        }
        if (filters.size() > limits.maxFilters()) {
            return Optional.of(ReasonPrefix.INVALID.format("too many filters (" + filters.size() + "; at most "
                    + limits.maxFilters() + ")"));
        }
        for (Filter filter : filters) {
            if (filter.search().isPresent()) {
                return Optional.of(SEARCH_UNSUPPORTED);
            }
        }
        return Optional.empty();
    }

    private void authenticate(ClientSession connection, Event event) {
        Optional<String> problem = authChecker.problem(event, connection.challenge(), connection.host(),
                clock.millis() / 1000);
        if (problem.isPresent()) {
            log.debug("{}: AUTH refused: {}", connection, problem.get());
            connection.send(RelayMessage.Ok.rejected(event.id(), ReasonPrefix.INVALID, problem.get()));
            return;
        }
        connection.authenticated().add(event.pubkey());
        connection.send(RelayMessage.Ok.accepted(event.id()));
    }

    /** NIP-70: a tag that is exactly {@code ["-"]}. */
    private static boolean isProtected(Event event) {
        for (Tag tag : event.tags()) {
            if (tag.values().size() == 1 && tag.values().get(0).equals("-")) {
                return true;
            }
        }
        return false;
    }

    private void reject(ClientSession connection, EventId id, ReasonPrefix prefix, String message) {
        log.debug("{}: event {} refused: {}: {}", connection, id, prefix.word(), message);
        String text = prefix.format(message);
        metrics.eventRejected(text);
        connection.send(new RelayMessage.Ok(id, false, text));
    }

    private void refuse(ClientSession connection, String subscriptionId, String closedMessage) {
        log.debug("{}: subscription {} refused: {}", connection, subscriptionId, closedMessage);
        metrics.subscriptionClosed(closedMessage);
        connection.send(new RelayMessage.Closed(subscriptionId, closedMessage));
    }
}
