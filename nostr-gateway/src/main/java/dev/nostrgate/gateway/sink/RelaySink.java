package dev.nostrgate.gateway.sink;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.relay.store.EventKeys;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.FailureClass;
import dev.nostrgate.relay.store.RecentIds;
import dev.nostrgate.relay.store.ResilientSave;
import dev.nostrgate.relay.store.Retry;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.StorableText;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.UnreadableBatchException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * One relay's sink: takes a batch of messages from its queue (gathered by its {@link RelayConsumer}), each holding
 * one or more events (see {@link EventBatchCodec}), parses and verifies each event (a recently stored id skips the
 * signature check), stores the events of all of them in one transaction, records provenance, then acknowledges the
 * messages.
 *
 * <ul>
 *   <li>What the commit stored (new to the aggregate, not duplicates) goes to the {@link LiveFeed} at once, for
 *       the read relay's live subscribers.</li>
 *   <li>Acknowledged only after the commit: a crash before it means redelivery, and the idempotent insert turns it
 *       into duplicates, not loss.</li>
 *   <li>Database failures are handled by their class ({@link FailureClass}, {@link ResilientSave}): an outage of
 *       the database or the broker (storing, provenance, dead letters) is retried here with backoff, holding the
 *       batch (the queue keeps the rest, durably): never an ack before commit, never a redelivery loop; an
 *       ambiguous commit (40003) is looked into by id; an event the database refuses for good (a constraint, bad
 *       data) is isolated and goes to {@code nostr.dead} with the database's reason while the rest of its batch is
 *       stored. Text the database cannot hold (NUL, lone surrogates: {@link StorableText}) is refused before it
 *       gets there, as invalid. Any other failure (a bug that a message's content triggers, say) is not left unacknowledged, which
 *       the next batch's multiple ack would acknowledge unstored, nor given back, which would loop: the batch's
 *       messages go again one by one, and the one that fails is counted and set aside by
 *       {@link FailedMessages}, to {@code nostr.dead} once it has failed {@code gateway.sink-max-attempts} times.</li>
 *   <li>An event dated further after its receipt than {@link FutureLimit} allows is refused like an invalid one,
 *       and no event moves the cursor past the time it was received: one event from 2100 must not make every
 *       restart ask for events since 2100.</li>
 *   <li>The relay's cursor ({@link CursorBook}) moves only after the commit, and only as far as everything before
 *       it is stored: to the newest event stored from a live batch, or, for a catch-up, to the {@code created_at}
 *       its caught-up marker carries. Catch-up batches ({@link EventBatchCodec#isCatchUp}) do not move it: their
 *       stored events come newest first, so the newest stored says nothing of the older ones still queued. The
 *       connector publishes the marker only once every catch-up message is confirmed, so it is queued behind
 *       them, and this queue's one consumer reaches it when they are stored (or, after a failure gave a batch
 *       back, when they are back in the queue, durably, to be stored next).</li>
 *   <li>An event that does not parse or verify goes to {@code nostr.dead} with the reason (see
 *       {@link DeadLetters}) alone, as a single-event message, while the other events of its message are stored;
 *       a message that says it is a batch but is not a whole one goes there whole. Dead letters are confirmed
 *       before the messages they came from are acknowledged.</li>
 * </ul>
 */
public final class RelaySink implements ChannelAwareBatchMessageListener {
    private static final Logger log = LoggerFactory.getLogger(RelaySink.class);
    /** Between attempts while the database or the broker is away: 100 ms doubling to 5 s, jittered. */
    private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final UUID relayId;
    private final EventStore store;
    private final RecentIds recentIds;
    private final EventVerifier verifier;
    private final FutureLimit futureLimit;
    private final RelayCounters counters;
    private final CursorBook cursors;
    private final ProvenanceWriter provenance;
    private final DeadLetters deadLetters;
    private final FailedMessages failures;
    private final LiveFeed live;
    private final BooleanSupplier stopping;
    /** Database writes: outages retried until they end, ambiguous commits looked into, refusals isolated. */
    private final ResilientSave save;
    /** Database steps other than the events: their outages retried until they end. */
    private final Retry database;
    /** Broker steps: every failure is taken for an outage and retried until it ends, never a reason to drop. */
    private final Retry broker;

    public RelaySink(UUID relayId, EventStore store, RecentIds recentIds, EventVerifier verifier,
                     FutureLimit futureLimit, RelayCounters counters, CursorBook cursors, ProvenanceWriter provenance,
                     DeadLetters deadLetters, FailedMessages failures, LiveFeed live, BooleanSupplier stopping) {
        this.relayId = relayId;
        this.store = store;
        this.recentIds = recentIds;
        this.verifier = verifier;
        this.futureLimit = futureLimit;
        this.counters = counters;
        this.cursors = cursors;
        this.provenance = provenance;
        this.deadLetters = deadLetters;
        this.failures = failures;
        this.live = live;
        this.stopping = stopping;
        this.database = Retry.untilStopped(RETRY_BACKOFF, stopping);
        this.broker = database.classifiedBy(failure -> FailureClass.TRANSIENT);
        this.save = new ResilientSave(store, database);
    }

    /**
     * An event to store; one of a catch-up batch does not move the cursor. Its message and JSON go to
     * {@code nostr.dead} if the database refuses it for good.
     */
    private record Received(Event event, long receivedAtMillis, boolean catchUp, Message message, byte[] json) {
    }

    /** An event (or a message that holds none) bound for {@code nostr.dead}, with the reason. */
    private record Poison(Message message, String reason) {
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        if (messages.isEmpty()) {
            return;
        }
        long lastTag = tag(messages.get(messages.size() - 1));
        try {
            if (!sink(messages)) {
                nackForRedelivery(channel, lastTag); // stopping during an outage: the broker keeps them
                return;
            }
        } catch (RuntimeException | StackOverflowError e) {
            // Manual acknowledgement: a batch left unacked here would be acked by the next batch's multiple ack,
            // unstored. Find out which message fails instead, and set it aside. A stack overflow is the one Error
            // that a message can cause every time (input nested deep enough), so it is set aside like a bug's
            // exception; other Errors are the consumer's to handle.
            log.warn("relay {}: a batch of {} messages failed ({}); trying them one by one", relayId,
                    messages.size(), e.toString());
            oneByOne(messages, e, channel);
            return;
        }
        ack(channel, lastTag, true);
    }

    /**
     * After a batch failed with an unexpected exception (no outage: those are retried in place), each of its
     * messages goes through the sink again alone, in order: one that is stored is acknowledged, one that fails
     * again is set aside by {@link FailedMessages} (to the end of the queue with its count raised, or to
     * {@code nostr.dead} once it has failed too often), confirmed, then acknowledged. So the others are stored, the
     * queue keeps moving, and no message loops.
     *
     * <p>Order: a message queued again comes back behind what was queued after it, the caught-up marker included,
     * so the cursor may move past events of that message that are not stored yet. Nothing is lost by that: the
     * cursor only decides what a restarted connector asks the relay for again, and the message itself is durably in
     * the queue all along (or, in the end, in {@code nostr.dead} with the reason), to be stored whenever it comes.
     */
    private void oneByOne(List<Message> messages, Throwable batchFailure, Channel channel) {
        long lastTag = tag(messages.get(messages.size() - 1));
        for (Message message : messages) {
            Throwable failure = batchFailure;
            if (messages.size() > 1) {
                try {
                    if (!sink(List.of(message))) {
                        nackForRedelivery(channel, lastTag); // this one and the rest: the broker keeps them
                        return;
                    }
                    ack(channel, tag(message), false);
                    continue;
                } catch (RuntimeException | StackOverflowError e) {
                    failure = e;
                }
            }
            if (!setAside(message, failure)) {
                nackForRedelivery(channel, lastTag);
                return;
            }
            ack(channel, tag(message), false);
        }
    }

    /** Hands a message that failed alone to {@link FailedMessages}; false if the gateway stopped first. */
    private boolean setAside(Message message, Throwable failure) {
        int attempt = FailedMessages.attempts(message) + 1;
        log.error("relay {}: message {} failed (attempt {})", relayId, message.getMessageProperties().getMessageId(),
                attempt, failure);
        Optional<FailedMessages.Fate> fate = retrying("setting a failed message aside", broker,
                () -> failures.failed(relayId, message, failure));
        fate.filter(FailedMessages.Fate.DEAD_LETTERED::equals).ifPresent(dead -> log.error(
                "relay {}: message {} failed {} times; it is in nostr.dead", relayId,
                message.getMessageProperties().getMessageId(), attempt));
        return fate.isPresent();
    }

    private static long tag(Message message) {
        return message.getMessageProperties().getDeliveryTag();
    }

    /**
     * Dead-letters the invalid, stores the rest, records provenance, moves the cursor (to the newest live event
     * stored, or to a caught-up marker's {@code created_at}); true when all of it is done and the batch may be
     * acknowledged, false if the gateway stopped during an outage meanwhile.
     */
    private boolean sink(List<Message> messages) {
        List<Received> fresh = new ArrayList<>();
        List<UUID> seenAgain = new ArrayList<>();
        List<Poison> poison = new ArrayList<>();
        long caughtUpTo = -1;
        long now = System.currentTimeMillis();
        for (Message message : messages) {
            // a header from a clock ahead of ours cannot lift the cursor past our own time
            long receivedAt = Math.min(EventBatchCodec.receivedAt(message).orElse(now), now);
            List<byte[]> events;
            OptionalLong marker;
            try {
                marker = EventBatchCodec.caughtUpTo(message);
                events = EventBatchCodec.decode(message);
            } catch (UnreadableBatchException e) {
                counters.received(relayId, message.getBody().length);
                poison.add(new Poison(message, "invalid: " + e.getMessage()));
                continue;
            }
            if (marker.isPresent()) { // the catch-up before it is stored: in earlier batches, or in this one
                caughtUpTo = Math.max(caughtUpTo, FutureLimit.cursorCandidate(marker.getAsLong(), receivedAt / 1000));
                continue;
            }
            boolean catchUp = EventBatchCodec.isCatchUp(message);
            for (byte[] json : events) {
                counters.received(relayId, json.length);
                Event event;
                try {
                    event = EventJson.parse(json);
                } catch (InvalidEventException e) {
                    poison.add(new Poison(EventBatchCodec.alone(message, json), "invalid: " + e.getMessage()));
                    continue;
                }
                if (recentIds.contains(event.id())) {
                    counters.duplicate(relayId); // a duplicate costs a lookup, not a signature check
                    seenAgain.add(EventKeys.of(event.id()));
                    continue;
                }
                Optional<String> problem = futureLimit.problem(event.createdAt(), receivedAt / 1000)
                        .or(() -> StorableText.problem(event))
                        .or(() -> verifier.problem(event));
                if (problem.isPresent()) {
                    poison.add(new Poison(EventBatchCodec.alone(message, json), "invalid: " + problem.get()));
                    continue;
                }
                fresh.add(new Received(event, receivedAt, catchUp, message, json));
            }
        }
        if (!deadLetter(poison)) {
            return false;
        }
        List<Event> events = fresh.stream().map(Received::event).toList();
        List<SaveOutcome> outcomes = save.saveAll(events);
        if (outcomes.stream().anyMatch(outcome -> outcome.status() == SaveOutcome.Status.FAILED)) {
            if (stopping.getAsBoolean()) {
                return false; // the broker keeps the batch; what was stored comes back as duplicates
            }
            throw new IllegalStateException("storing " + events.size() + " events failed: "
                    + outcomes.stream().filter(o -> o.status() == SaveOutcome.Status.FAILED).findFirst()
                            .orElseThrow().message());
        }
        List<Poison> unstorable = new ArrayList<>();
        long committedAt = System.currentTimeMillis();
        long newestLive = -1;
        List<UUID> carried = new ArrayList<>(seenAgain);
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            Event event = fresh.get(i).event();
            SaveOutcome outcome = outcomes.get(i);
            switch (outcome.status()) {
                case STORED -> {
                    counters.stored(relayId, committedAt - fresh.get(i).receivedAtMillis());
                    if (!fresh.get(i).catchUp()) {
                        newestLive = Math.max(newestLive, FutureLimit.cursorCandidate(event.createdAt(),
                                fresh.get(i).receivedAtMillis() / 1000));
                    }
                    stored.add(event);
                }
                case DUPLICATE -> counters.duplicate(relayId);
                case REJECTED -> {
                    // the store's rules refused it (an older replaceable version, deleted, expired, ephemeral)
                    if (outcome.message().startsWith("invalid:")) {
                        counters.invalid(relayId);
                    } else {
                        counters.duplicate(relayId);
                    }
                }
                case UNSTORABLE -> // the database refuses it for good; the rest of the batch is stored
                    unstorable.add(new Poison(EventBatchCodec.alone(fresh.get(i).message(), fresh.get(i).json()),
                            outcome.message()));
                case FAILED -> throw new IllegalStateException("failures were handled above");
            }
            if (outcome.accepted()) {
                recentIds.add(event.id());
                carried.add(EventKeys.of(event.id()));
            }
        }
        if (!stored.isEmpty()) {
            live.stored(stored); // committed: live subscribers of the read relay may see them now
        }
        if (!deadLetter(unstorable) || !recordProvenance(carried, committedAt / 1000)) {
            return false;
        }
        long cursor = Math.max(newestLive, caughtUpTo);
        if (cursor >= 0) {
            cursors.committed(relayId, cursor); // after the commit, and after provenance
        }
        return true;
    }

    /** Sends each to {@code nostr.dead}, confirmed, through broker outages; false if the gateway stopped first. */
    private boolean deadLetter(List<Poison> poison) {
        for (Poison dead : poison) {
            counters.invalid(relayId);
            log.debug("relay {}: dead-lettering message {}: {}", relayId,
                    dead.message().getMessageProperties().getMessageId(), dead.reason());
            if (retrying("dead-lettering an invalid event", broker, () -> {
                deadLetters.send(relayId, dead.message(), dead.reason());
                return true;
            }).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records which relay sent which stored events, through outages; false if the gateway stopped first. A
     * failure that would repeat is logged and skipped: the events are stored, and provenance is a record about
     * them, not a reason to hold the relay's queue for good.
     */
    private boolean recordProvenance(List<UUID> eventKeys, long firstSeen) {
        try {
            return retrying("recording provenance", database.forIdempotentStep(), () -> {
                try {
                    provenance.seen(relayId, eventKeys, firstSeen);
                    return true;
                } catch (DataAccessException e) {
                    throw new StoreUnavailableException("recording provenance failed: " + e.getMessage(), e, false);
                }
            }).isPresent();
        } catch (RuntimeException permanent) {
            log.error("relay {}: the provenance of {} events cannot be recorded ({}); skipped", relayId,
                    eventKeys.size(), permanent.getMessage());
            return true;
        }
    }

    /**
     * Runs the step until it succeeds or fails for good (by the policy's classes), holding the batch meanwhile:
     * waiting on this consumer's own thread is the backpressure, and the queue keeps the rest, durably. Empty if
     * the gateway stops first.
     *
     * @throws RuntimeException a failure the policy does not retry
     */
    private <T> Optional<T> retrying(String what, Retry policy, Supplier<T> step) {
        try {
            return Optional.of(policy.call("relay " + relayId + ": " + what, step));
        } catch (RuntimeException e) {
            if (policy.stopping() || Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void ack(Channel channel, long tag, boolean multiple) {
        try {
            channel.basicAck(tag, multiple);
        } catch (IOException | ShutdownSignalException e) { // AlreadyClosedException is one
            // the channel died after the commit: the broker redelivers, the store answers duplicate
            log.warn("relay {}: ack failed ({}); the batch will be redelivered and deduplicated", relayId,
                    e.getMessage());
        }
    }

    private void nackForRedelivery(Channel channel, long lastTag) {
        Redelivery.requeueUpTo(channel, lastTag, relayId);
    }
}
