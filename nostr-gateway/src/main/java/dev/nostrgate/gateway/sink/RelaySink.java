package dev.nostrgate.gateway.sink;

import com.rabbitmq.client.Channel;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.relay.store.EventKeys;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.RecentIds;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.UnreadableBatchException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * One relay's consumer: takes a batch of messages from its queue, each holding one or more events (see
 * {@link EventBatchCodec}), parses and verifies each event (a recently stored id skips the signature check),
 * stores the events of all of them in one transaction, records provenance, then acknowledges the messages.
 *
 * <ul>
 *   <li>What the commit stored (new to the aggregate, not duplicates) goes to the {@link LiveFeed} at once, for
 *       the read relay's live subscribers.</li>
 *   <li>Acknowledged only after the commit: a crash before it means redelivery, and the idempotent insert turns it
 *       into duplicates, not loss.</li>
 *   <li>An outage of the database or the broker (storing, provenance, dead letters) is retried here with backoff,
 *       holding the batch (the queue keeps the rest, durably): never an ack before commit, never a redelivery
 *       loop. Any other failure gives the batch back to the broker at once: with manual acknowledgement, a batch
 *       left unacked would be acknowledged by the next batch's multiple ack without having been stored.</li>
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

    private final UUID relayId;
    private final EventStore store;
    private final RecentIds recentIds;
    private final EventVerifier verifier;
    private final RelayCounters counters;
    private final CursorBook cursors;
    private final ProvenanceWriter provenance;
    private final DeadLetters deadLetters;
    private final LiveFeed live;
    private final BooleanSupplier stopping;

    public RelaySink(UUID relayId, EventStore store, RecentIds recentIds, EventVerifier verifier,
                     RelayCounters counters, CursorBook cursors, ProvenanceWriter provenance, DeadLetters deadLetters,
                     LiveFeed live, BooleanSupplier stopping) {
        this.relayId = relayId;
        this.store = store;
        this.recentIds = recentIds;
        this.verifier = verifier;
        this.counters = counters;
        this.cursors = cursors;
        this.provenance = provenance;
        this.deadLetters = deadLetters;
        this.live = live;
        this.stopping = stopping;
    }

    /** An event to store; one of a catch-up batch does not move the cursor. */
    private record Received(Event event, long receivedAtMillis, boolean catchUp) {
    }

    /** An event (or a message that holds none) bound for {@code nostr.dead}, with the reason. */
    private record Poison(Message message, String reason) {
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        if (messages.isEmpty()) {
            return;
        }
        long lastTag = messages.get(messages.size() - 1).getMessageProperties().getDeliveryTag();
        try {
            if (!sink(messages)) {
                nackForRedelivery(channel, lastTag); // stopping during an outage: the broker keeps them
                return;
            }
        } catch (RuntimeException e) {
            // Manual acknowledgement: a batch left unacked here would be acked by the next batch's multiple ack,
            // unstored. Give it back instead, and slow down in case the failure repeats.
            log.error("relay {}: a batch of {} messages failed; giving it back to the broker", relayId,
                    messages.size(), e);
            nackForRedelivery(channel, lastTag);
            pause(1_000);
            return;
        }
        ack(channel, lastTag);
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
        for (Message message : messages) {
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
                caughtUpTo = Math.max(caughtUpTo, marker.getAsLong());
                continue;
            }
            boolean catchUp = EventBatchCodec.isCatchUp(message);
            long receivedAt = EventBatchCodec.receivedAt(message).orElseGet(System::currentTimeMillis);
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
                Optional<String> problem = verifier.problem(event);
                if (problem.isPresent()) {
                    poison.add(new Poison(EventBatchCodec.alone(message, json), "invalid: " + problem.get()));
                    continue;
                }
                fresh.add(new Received(event, receivedAt, catchUp));
            }
        }
        for (Poison dead : poison) {
            counters.invalid(relayId);
            log.debug("relay {}: dead-lettering message {}: {}", relayId,
                    dead.message().getMessageProperties().getMessageId(), dead.reason());
            if (retrying("dead-lettering an invalid event", () -> {
                deadLetters.send(relayId, dead.message(), dead.reason());
                return true;
            }).isEmpty()) {
                return false;
            }
        }
        List<Event> events = fresh.stream().map(Received::event).toList();
        Optional<List<SaveOutcome>> outcomes = events.isEmpty() ? Optional.of(List.of())
                : retrying("storing " + events.size() + " events", () -> store.saveAll(events));
        if (outcomes.isEmpty()) {
            return false;
        }
        long now = System.currentTimeMillis();
        long newestLive = -1;
        List<UUID> carried = new ArrayList<>(seenAgain);
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            Event event = fresh.get(i).event();
            SaveOutcome outcome = outcomes.get().get(i);
            switch (outcome.status()) {
                case STORED -> {
                    counters.stored(relayId, now - fresh.get(i).receivedAtMillis());
                    if (!fresh.get(i).catchUp()) {
                        newestLive = Math.max(newestLive, event.createdAt());
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
                case FAILED -> throw new IllegalStateException("saveAll reports failures by throwing");
            }
            if (outcome.accepted()) {
                recentIds.add(event.id());
                carried.add(EventKeys.of(event.id()));
            }
        }
        if (!stored.isEmpty()) {
            live.stored(stored); // committed: live subscribers of the read relay may see them now
        }
        if (retrying("recording provenance", () -> {
            provenance.seen(relayId, carried, now / 1000);
            return true;
        }).isEmpty()) {
            return false;
        }
        long cursor = Math.max(newestLive, caughtUpTo);
        if (cursor >= 0) {
            cursors.committed(relayId, cursor); // after the commit, and after provenance
        }
        return true;
    }

    /** A step that an outage of the database or the broker can make fail. */
    private interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs the step until it succeeds, with backoff, holding the batch meanwhile (the queue keeps the rest,
     * durably); empty only if the gateway stops first.
     */
    private <T> Optional<T> retrying(String what, Step<T> step) {
        long backoff = 100;
        while (true) {
            try {
                return Optional.of(step.run());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                if (stopping.getAsBoolean()) {
                    return Optional.empty();
                }
                log.warn("relay {}: {} failed ({}); retrying in {} ms", relayId, what, e.getMessage(), backoff);
                if (!pause(backoff)) {
                    return Optional.empty();
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** Waits on this consumer's own thread: holding the batch is the backpressure. False if interrupted. */
    private static boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void ack(Channel channel, long lastTag) {
        try {
            channel.basicAck(lastTag, true);
        } catch (IOException e) {
            // the channel died after the commit: the broker redelivers, the store answers duplicate
            log.warn("relay {}: ack failed ({}); the batch will be redelivered and deduplicated", relayId,
                    e.getMessage());
        }
    }

    private void nackForRedelivery(Channel channel, long lastTag) {
        try {
            channel.basicNack(lastTag, true, true);
        } catch (IOException e) {
            log.debug("relay {}: nack failed ({}); the broker redelivers unacked messages anyway", relayId,
                    e.getMessage());
        }
    }
}
