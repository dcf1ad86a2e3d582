package dev.nostrgate.gateway.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.rabbitmq.client.Channel;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.RecentIds;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

class RelaySinkTest {
    private static final SecKey KEY = SecKey.generate();
    private static final FutureLimit LIMIT = new FutureLimit(900);

    private static Event note(String text) {
        return note(text, System.currentTimeMillis() / 1000);
    }

    private static Event note(String text, long createdAt) {
        return new UnsignedEvent(KEY.pubKey(), createdAt, 1, List.of(), text).sign(KEY);
    }

    private static Message message(Event event, long tag) {
        Message message = MessageBuilder.withBody(event.toJson().getBytes(StandardCharsets.UTF_8)).build();
        message.getMessageProperties().setDeliveryTag(tag);
        return message;
    }

    private static Message batch(long tag, String... eventsJson) {
        return batch(tag, false, eventsJson);
    }

    private static Message catchUpBatch(long tag, Event... events) {
        return batch(tag, true, Stream.of(events).map(Event::toJson).toArray(String[]::new));
    }

    private static Message batch(long tag, boolean catchUp, String... eventsJson) {
        Message message = EventBatchCodec.encode(
                Stream.of(eventsJson).map(json -> json.getBytes(StandardCharsets.UTF_8)).toList(),
                System.currentTimeMillis(), "batch", catchUp);
        message.getMessageProperties().setDeliveryTag(tag);
        return message;
    }

    private static Message caughtUp(long tag, long newestCreatedAt) {
        Message message = EventBatchCodec.caughtUp(newestCreatedAt);
        message.getMessageProperties().setDeliveryTag(tag);
        return message;
    }

    /** A sink whose collaborators other than these are mocks (or do nothing). */
    private static RelaySink sink(UUID relayId, EventStore store, CursorBook cursors, BooleanSupplier stopping) {
        return new RelaySink(relayId, store, new RecentIds(100), new EventVerifier(), LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), cursors, mock(ProvenanceWriter.class),
                mock(DeadLetters.class), settingAside(), LiveFeed.NONE, stopping);
    }

    /** A sink that writes to the store and dead-letters to these, its other collaborators mocks. */
    /** A sink whose verifier may throw, and whose failed messages go to {@code failures}. */
    private static RelaySink settingAsideWith(UUID relayId, EventStore store, EventVerifier verifier,
                                              FailedMessages failures) {
        return new RelaySink(relayId, store, new RecentIds(100), verifier, LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                mock(DeadLetters.class), failures, LiveFeed.NONE, () -> false);
    }

    private static RelaySink sink(EventStore store, DeadLetters deadLetters) {
        return new RelaySink(UUID.randomUUID(), store, new RecentIds(100), new EventVerifier(), LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                deadLetters, settingAside(), LiveFeed.NONE, () -> false);
    }

    /** Takes any failed message (queues it again), as the broker would confirm it. */
    private static FailedMessages settingAside() {
        FailedMessages failures = mock(FailedMessages.class);
        when(failures.failed(any(), any(), any())).thenReturn(FailedMessages.Fate.QUEUED_AGAIN);
        return failures;
    }

    /** A store that stores whatever it is given. */
    private static EventStore storingEverything() {
        EventStore store = mock(EventStore.class);
        when(store.saveAll(anyList())).thenAnswer(call -> call.<List<Event>>getArgument(0).stream()
                .map(event -> SaveOutcome.stored(event.id())).toList());
        return store;
    }

    @Test
    void handsOnlyTheEventsItStoredToTheLiveFeedAfterTheCommit() throws Exception {
        Event fresh = note("new to the aggregate");
        Event known = note("stored before, through another relay");
        EventStore store = mock(EventStore.class);
        when(store.saveAll(anyList())).thenReturn(List.of(SaveOutcome.stored(fresh.id()),
                SaveOutcome.duplicate(known.id())));
        List<List<Event>> fed = new CopyOnWriteArrayList<>();
        Channel channel = mock(Channel.class);
        RelaySink sink = new RelaySink(UUID.randomUUID(), store, new RecentIds(100), new EventVerifier(), LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                mock(DeadLetters.class), settingAside(), fed::add, () -> false);

        sink.onMessageBatch(List.of(message(fresh, 1), message(known, 2)), channel);

        assertThat(fed).containsExactly(List.of(fresh));
        verify(channel).basicAck(2, true);
    }

    @Test
    void feedsNothingWhenTheBatchHoldsNoNewEvent() {
        Event known = note("duplicate");
        EventStore store = mock(EventStore.class);
        when(store.saveAll(anyList())).thenReturn(List.of(SaveOutcome.duplicate(known.id())));
        List<List<Event>> fed = new CopyOnWriteArrayList<>();
        RelaySink sink = new RelaySink(UUID.randomUUID(), store, new RecentIds(100), new EventVerifier(), LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                mock(DeadLetters.class), settingAside(), fed::add, () -> false);

        sink.onMessageBatch(List.of(message(known, 1)), mock(Channel.class));

        assertThat(fed).isEmpty();
    }

    @Test
    void storesTheGoodEventsOfABatchAndDeadLettersOnlyTheBadOneWithItsReason() throws Exception {
        Event first = note("first");
        Event second = note("second");
        String forged = note("genuine").toJson().replace("genuine", "forged");
        EventStore store = storingEverything();
        DeadLetters deadLetters = mock(DeadLetters.class);
        RelayCounters counters = new RelayCounters(new SimpleMeterRegistry());
        UUID relayId = UUID.randomUUID();
        Channel channel = mock(Channel.class);
        RelaySink sink = new RelaySink(relayId, store, new RecentIds(100), new EventVerifier(), LIMIT, counters,
                mock(CursorBook.class), mock(ProvenanceWriter.class), deadLetters, settingAside(), LiveFeed.NONE,
                () -> false);

        sink.onMessageBatch(List.of(batch(7, first.toJson(), forged, second.toJson())), channel);

        verify(store).saveAll(List.of(first, second));
        ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
        ArgumentCaptor<String> reason = ArgumentCaptor.forClass(String.class);
        verify(deadLetters).send(eq(relayId), dead.capture(), reason.capture());
        assertThat(new String(dead.getValue().getBody(), StandardCharsets.UTF_8)).isEqualTo(forged);
        assertThat(dead.getValue().getMessageProperties().getContentType())
                .isEqualTo(EventBatchCodec.SINGLE_CONTENT_TYPE);
        assertThat(reason.getValue()).startsWith("invalid: ").contains("does not match");
        InOrder order = inOrder(deadLetters, store, channel);
        order.verify(deadLetters).send(any(), any(), any());
        order.verify(store).saveAll(anyList());
        order.verify(channel).basicAck(7, true);
        assertThat(counters.totals(relayId)).isEqualTo(new RelayCounters.Totals(3, 2, 0, 1,
                first.toJson().length() + forged.length() + second.toJson().length()));
    }

    @Test
    void deadLettersAMalformedLineOfABatchAloneToo() {
        Event good = note("good");
        DeadLetters deadLetters = mock(DeadLetters.class);
        EventStore store = storingEverything();
        RelaySink sink = sink(store, deadLetters);

        sink.onMessageBatch(List.of(batch(1, "{\"id\":", good.toJson())), mock(Channel.class));

        verify(store).saveAll(List.of(good));
        ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
        verify(deadLetters).send(any(), dead.capture(), startsWith("invalid: malformed JSON"));
        assertThat(new String(dead.getValue().getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":");
    }

    @Test
    void deadLettersAnEventWithTextTheDatabaseCannotHoldBeforeStoringTheRest() {
        Event good = note("good");
        Event nul = note("a NUL \u0000 inside");
        DeadLetters deadLetters = mock(DeadLetters.class);
        EventStore store = storingEverything();
        RelaySink sink = sink(store, deadLetters);

        sink.onMessageBatch(List.of(batch(1, good.toJson(), nul.toJson())), mock(Channel.class));

        verify(store).saveAll(List.of(good));
        verify(deadLetters).send(any(), any(), startsWith("invalid: content has a NUL character"));
    }

    @Test
    void sendsAnEventTheDatabaseRefusesForGoodToTheDeadLettersAndAcknowledgesTheBatch() throws Exception {
        Event first = note("first");
        Event refused = note("refused by the database");
        Event last = note("last");
        EventStore store = mock(EventStore.class);
        // as the database would: the batch fails whole while the refused event is in it, and is split until alone
        when(store.saveAll(anyList())).thenAnswer(call -> {
            List<Event> events = call.getArgument(0);
            if (events.contains(refused)) {
                throw new StoreUnavailableException("writing failed",
                        new SQLException("value too long for type character varying(10)", "22001"), false);
            }
            return events.stream().map(event -> SaveOutcome.stored(event.id())).toList();
        });
        DeadLetters deadLetters = mock(DeadLetters.class);
        Channel channel = mock(Channel.class);
        RelaySink sink = sink(store, deadLetters);

        sink.onMessageBatch(List.of(batch(4, first.toJson(), refused.toJson(), last.toJson())), channel);

        verify(store).saveAll(List.of(first));
        verify(store).saveAll(List.of(last));
        ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
        verify(deadLetters).send(any(), dead.capture(), contains("value too long"));
        assertThat(new String(dead.getValue().getBody(), StandardCharsets.UTF_8)).isEqualTo(refused.toJson());
        verify(channel).basicAck(4, true);
    }

    @Test
    void deadLettersABatchThatIsNotWholeAsItCameAndStillAcknowledgesIt() throws Exception {
        Message damaged = batch(3, note("one").toJson(), note("two").toJson());
        damaged.getMessageProperties().setHeader(EventBatchCodec.COUNT_HEADER, 5);
        EventStore store = storingEverything();
        DeadLetters deadLetters = mock(DeadLetters.class);
        Channel channel = mock(Channel.class);
        RelaySink sink = sink(store, deadLetters);

        sink.onMessageBatch(List.of(damaged), channel);

        verify(deadLetters).send(any(), same(damaged), contains("whose " + EventBatchCodec.COUNT_HEADER));
        verify(store, never()).saveAll(argThat(events -> !events.isEmpty()));
        verify(channel).basicAck(3, true);
    }

    @Test
    void storesBatchesAndSingleEventMessagesOfBeforeBatchingTogether() throws Exception {
        Event single = note("published alone by an older gateway");
        Event inBatchA = note("batched a");
        Event inBatchB = note("batched b");
        EventStore store = storingEverything();
        Channel channel = mock(Channel.class);
        RelaySink sink = new RelaySink(UUID.randomUUID(), store, new RecentIds(100), new EventVerifier(), LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), mock(CursorBook.class), mock(ProvenanceWriter.class),
                mock(DeadLetters.class), settingAside(), LiveFeed.NONE, () -> false);

        sink.onMessageBatch(List.of(message(single, 1), batch(2, inBatchA.toJson(), inBatchB.toJson())), channel);

        verify(store).saveAll(List.of(single, inBatchA, inBatchB));
        verify(channel).basicAck(2, true);
    }

    @Test
    void holdsTheBatchWhileTheBrokerCannotTakeADeadLetterThenAcknowledgesIt() throws Exception {
        Event good = note("good");
        String forged = note("genuine").toJson().replace("genuine", "forged");
        EventStore store = storingEverything();
        DeadLetters deadLetters = mock(DeadLetters.class);
        doThrow(new AmqpException("no confirm from the broker"))
                .doNothing().when(deadLetters).send(any(), any(), any());
        Channel channel = mock(Channel.class);
        RelaySink sink = sink(store, deadLetters);

        sink.onMessageBatch(List.of(batch(4, forged, good.toJson())), channel);

        verify(deadLetters, times(2)).send(any(), any(), any());
        verify(store).saveAll(List.of(good));
        verify(channel).basicAck(4, true);
    }

    @Test
    void aLiveBatchMovesTheCursorToItsNewestEventAfterTheCommit() throws Exception {
        UUID relayId = UUID.randomUUID();
        EventStore store = storingEverything();
        CursorBook cursors = mock(CursorBook.class);
        Channel channel = mock(Channel.class);

        sink(relayId, store, cursors, () -> false).onMessageBatch(List.of(
                batch(1, note("newer", 3_000).toJson(), note("older", 1_000).toJson())), channel);

        InOrder order = inOrder(store, cursors, channel);
        order.verify(store).saveAll(anyList());
        order.verify(cursors).committed(relayId, 3_000);
        order.verify(channel).basicAck(1, true);
    }

    @Test
    void catchUpBatchesAreStoredButDoNotMoveTheCursor() throws Exception {
        // stored events come newest first: the older ones of this catch-up may still be on the queue
        EventStore store = storingEverything();
        CursorBook cursors = mock(CursorBook.class);
        Channel channel = mock(Channel.class);
        Event newest = note("newest stored", 3_000);
        Event newer = note("newer stored", 2_000);

        sink(UUID.randomUUID(), store, cursors, () -> false)
                .onMessageBatch(List.of(catchUpBatch(1, newest), catchUpBatch(2, newer)), channel);

        verify(store).saveAll(List.of(newest, newer));
        verify(cursors, never()).committed(any(), anyLong());
        verify(channel).basicAck(2, true);
    }

    @Test
    void theCaughtUpMarkerMovesTheCursorToItsCreatedAtAfterTheCommit() throws Exception {
        UUID relayId = UUID.randomUUID();
        EventStore store = storingEverything();
        CursorBook cursors = mock(CursorBook.class);
        Channel channel = mock(Channel.class);
        Event older = note("oldest stored", 1_000);

        sink(relayId, store, cursors, () -> false)
                .onMessageBatch(List.of(catchUpBatch(5, older), caughtUp(6, 3_000)), channel);

        InOrder order = inOrder(store, cursors, channel);
        order.verify(store).saveAll(List.of(older));
        order.verify(cursors).committed(relayId, 3_000);
        order.verify(channel).basicAck(6, true);
        verify(cursors).committed(any(), anyLong()); // once, for the marker only
    }

    @Test
    void theCaughtUpMarkerDoesNotMoveTheCursorWhenItsBatchIsNotCommitted() throws Exception {
        EventStore store = mock(EventStore.class);
        when(store.saveAll(anyList())).thenThrow(new StoreUnavailableException("database down",
                new SQLException("Connection refused", "08001"), false));
        CursorBook cursors = mock(CursorBook.class);
        Channel channel = mock(Channel.class);

        sink(UUID.randomUUID(), store, cursors, () -> true) // stopping during the outage
                .onMessageBatch(List.of(catchUpBatch(1, note("oldest stored", 1_000)), caughtUp(2, 3_000)), channel);

        verify(cursors, never()).committed(any(), anyLong());
        verify(channel).basicNack(2, true, true);
    }

    @Test
    void setsAsideAMessageThatFailsUnexpectedlyAndAcknowledgesItOnlyAfterThat() throws Exception {
        Event event = note("stored, but the cursor book fails");
        CursorBook cursors = mock(CursorBook.class);
        IllegalStateException bug = new IllegalStateException("a bug");
        doThrow(bug).when(cursors).committed(any(), anyLong());
        FailedMessages failures = settingAside();
        Channel channel = mock(Channel.class);
        UUID relayId = UUID.randomUUID();
        Message message = message(event, 9);
        RelaySink sink = new RelaySink(relayId, storingEverything(), new RecentIds(100), new EventVerifier(), LIMIT,
                new RelayCounters(new SimpleMeterRegistry()), cursors, mock(ProvenanceWriter.class),
                mock(DeadLetters.class), failures, LiveFeed.NONE, () -> false);

        sink.onMessageBatch(List.of(message), channel);

        InOrder order = inOrder(failures, channel);
        order.verify(failures).failed(relayId, message, bug);
        order.verify(channel).basicAck(9, false);
        verify(channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
    }

    /** A verifier that finds nothing wrong, but throws {@code failure} for {@code event}. */
    private static EventVerifier throwingFor(Event event, Throwable failure) {
        EventVerifier verifier = mock(EventVerifier.class);
        when(verifier.problem(any())).thenReturn(Optional.empty());
        when(verifier.problem(event)).thenThrow(failure);
        return verifier;
    }

    @Test
    void triesTheMessagesOfAFailedBatchOneByOneSoThatOnlyTheFailingOneIsSetAside() throws Exception {
        Event first = note("first");
        Event poison = note("makes the verifier throw");
        Event last = note("last");
        EventVerifier verifier = throwingFor(poison, new IllegalStateException("a bug this event triggers"));
        EventStore store = storingEverything();
        FailedMessages failures = settingAside();
        Channel channel = mock(Channel.class);
        UUID relayId = UUID.randomUUID();
        Message poisonMessage = message(poison, 2);
        RelaySink sink = settingAsideWith(relayId, store, verifier, failures);

        sink.onMessageBatch(List.of(message(first, 1), poisonMessage, message(last, 3)), channel);

        InOrder order = inOrder(store, failures, channel);
        order.verify(store).saveAll(List.of(first));
        order.verify(channel).basicAck(1, false);
        order.verify(failures).failed(eq(relayId), same(poisonMessage),
                argThat(e -> e.getMessage().equals("a bug this event triggers")));
        order.verify(channel).basicAck(2, false);
        order.verify(store).saveAll(List.of(last));
        order.verify(channel).basicAck(3, false);
        verify(store, never()).saveAll(argThat(events -> events.contains(poison)));
        verify(channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
    }

    @Test
    void setsAsideAMessageThatOverflowsTheStackAndStoresTheRestOfItsBatch() throws Exception {
        Event first = note("first");
        Event deep = note("nested deeper than the stack");
        EventVerifier verifier = throwingFor(deep, new StackOverflowError());
        EventStore store = storingEverything();
        FailedMessages failures = settingAside();
        Channel channel = mock(Channel.class);
        UUID relayId = UUID.randomUUID();
        Message deepMessage = message(deep, 2);
        RelaySink sink = settingAsideWith(relayId, store, verifier, failures);

        sink.onMessageBatch(List.of(message(first, 1), deepMessage), channel);

        InOrder order = inOrder(store, failures, channel);
        order.verify(store).saveAll(List.of(first));
        order.verify(channel).basicAck(1, false);
        order.verify(failures).failed(eq(relayId), same(deepMessage), argThat(e -> e instanceof StackOverflowError));
        order.verify(channel).basicAck(2, false);
        verify(channel, never()).basicAck(anyLong(), eq(true));
        verify(channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
    }

    @Test
    void holdsAFailedMessageWhileTheBrokerCannotTakeItThenAcknowledgesIt() throws Exception {
        CursorBook cursors = mock(CursorBook.class);
        doThrow(new IllegalStateException("a bug")).when(cursors).committed(any(), anyLong());
        FailedMessages failures = mock(FailedMessages.class);
        when(failures.failed(any(), any(), any())).thenThrow(new AmqpException("no confirm from the broker"))
                .thenReturn(FailedMessages.Fate.QUEUED_AGAIN);
        Channel channel = mock(Channel.class);
        RelaySink sink = new RelaySink(UUID.randomUUID(), storingEverything(), new RecentIds(100),
                new EventVerifier(), LIMIT, new RelayCounters(new SimpleMeterRegistry()), cursors,
                mock(ProvenanceWriter.class), mock(DeadLetters.class), failures, LiveFeed.NONE, () -> false);

        sink.onMessageBatch(List.of(message(note("fails"), 4)), channel);

        verify(failures, times(2)).failed(any(), any(), any());
        verify(channel).basicAck(4, false);
    }

    @Test
    void refusesAnEventDatedBeyondTheFutureLimitAsInvalidAndStoresTheRest() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Event tooNew = note("from the future", now + LIMIT.seconds() + 60);
        Event good = note("good", now);
        EventStore store = storingEverything();
        DeadLetters deadLetters = mock(DeadLetters.class);
        CursorBook cursors = mock(CursorBook.class);
        RelayCounters counters = new RelayCounters(new SimpleMeterRegistry());
        UUID relayId = UUID.randomUUID();
        RelaySink sink = new RelaySink(relayId, store, new RecentIds(100), new EventVerifier(), LIMIT, counters,
                cursors, mock(ProvenanceWriter.class), deadLetters, settingAside(), LiveFeed.NONE,
                () -> false);

        sink.onMessageBatch(List.of(batch(1, tooNew.toJson(), good.toJson())), mock(Channel.class));

        verify(store).saveAll(List.of(good));
        ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
        verify(deadLetters).send(eq(relayId), dead.capture(),
                startsWith("invalid: created_at is too far in the future"));
        assertThat(new String(dead.getValue().getBody(), StandardCharsets.UTF_8)).isEqualTo(tooNew.toJson());
        assertThat(counters.totals(relayId).invalid()).isEqualTo(1);
        verify(cursors).committed(relayId, now);
    }

    @Test
    void anEventInsideTheFutureLimitMovesTheCursorOnlyToWhenItWasReceived() throws Exception {
        UUID relayId = UUID.randomUUID();
        CursorBook cursors = mock(CursorBook.class);
        long receivedAtMillis = System.currentTimeMillis() - 5_000;
        Event aheadOfItsReceipt = note("ten minutes ahead", receivedAtMillis / 1000 + 600);
        Message message = EventBatchCodec.encode(List.of(aheadOfItsReceipt.toJson().getBytes(StandardCharsets.UTF_8)),
                receivedAtMillis, "batch", false);
        message.getMessageProperties().setDeliveryTag(1);

        sink(relayId, storingEverything(), cursors, () -> false).onMessageBatch(List.of(message), mock(Channel.class));

        verify(cursors).committed(relayId, receivedAtMillis / 1000);
    }

    @Test
    void aCaughtUpMarkerFromTheFutureMovesTheCursorNoFurtherThanNow() throws Exception {
        UUID relayId = UUID.randomUUID();
        CursorBook cursors = mock(CursorBook.class);
        long before = System.currentTimeMillis() / 1000;

        sink(relayId, storingEverything(), cursors, () -> false)
                .onMessageBatch(List.of(caughtUp(1, 4_102_444_800L)), mock(Channel.class));

        ArgumentCaptor<Long> cursor = ArgumentCaptor.forClass(Long.class);
        verify(cursors).committed(eq(relayId), cursor.capture());
        assertThat(cursor.getValue()).isBetween(before, System.currentTimeMillis() / 1000);
    }
}
