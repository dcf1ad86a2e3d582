package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ReasonPrefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelayClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SecKey ALICE = SecKey.generate();
    private static final SecKey BOB = SecKey.generate();
    private static final Filter NOTES = Filter.builder().kinds(1).build();

    private FakeRelay relay;
    private final List<RelayClient> clients = new ArrayList<>();

    @BeforeEach
    void startRelay() {
        relay = FakeRelay.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(RelayClient::close);
        relay.close();
    }

    // ---- publishing

    @Test
    void sendCompletesWithTheRelaysAcceptance() {
        RelayClient client = client();
        Event hello = note(ALICE, 1_000, "hello world");

        assertThat(client.send(hello)).succeedsWithin(WAIT).satisfies(ok -> {
            assertThat(ok.eventId()).isEqualTo(hello.id());
            assertThat(ok.accepted()).isTrue();
            assertThat(ok.message()).isEmpty();
            assertThat(ok.prefix()).isEmpty();
        });
        assertThat(relay.stored()).containsExactly(hello);
    }

    @Test
    void sendCompletesWithTheRefusalAndItsPrefix() {
        relay.reject(event -> event.content().contains("spam"), "blocked: no spam here");
        RelayClient client = client();

        assertThat(client.send(note(ALICE, 1_000, "buy spam"))).succeedsWithin(WAIT).satisfies(ok -> {
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).isEqualTo("blocked: no spam here");
            assertThat(ok.is(ReasonPrefix.BLOCKED)).isTrue();
            assertThat(ok.reason().message()).isEqualTo("no spam here");
        });
        assertThat(relay.stored()).isEmpty();
    }

    @Test
    void sendingAnEventAgainGetsTheDuplicateAnswer() {
        RelayClient client = client();
        Event hello = note(ALICE, 1_000, "hello");
        assertThat(client.send(hello)).succeedsWithin(WAIT);

        assertThat(client.send(hello)).succeedsWithin(WAIT).satisfies(ok -> {
            assertThat(ok.accepted()).isTrue();
            assertThat(ok.is(ReasonPrefix.DUPLICATE)).isTrue();
        });
    }

    @Test
    void sendingAnEventThatAwaitsItsOkSendsNothingMoreAndBothCallersGetOneFate() {
        RelayClient client = client();
        Event hello = note(ALICE, 1_000, "hello");
        CompletableFuture<OkResult> first = sentToASilentRelay(client, hello);

        CompletableFuture<OkResult> second = client.send(hello);
        client.close();

        assertThat(failure(first)).isInstanceOf(ClientClosedException.class);
        assertThat(failure(second)).isInstanceOf(ClientClosedException.class);
        await().atMost(WAIT).until(() -> relay.closeCodes().size() == 1); // after anything sent before the close
        assertThat(relay.received(ClientMessage.Publish.class)).hasSize(1);
    }

    @Test
    void aCallerWhoCancelsASendDoesNotAnswerForAnotherSendingTheSameEvent() {
        RelayClient client = client();
        Event hello = note(ALICE, 1_000, "hello");
        sentToASilentRelay(client, hello).cancel(false);

        CompletableFuture<OkResult> second = client.send(hello);
        client.close();

        assertThat(failure(second)).isInstanceOf(ClientClosedException.class); // the EVENT's fate, not a cancel
    }

    // ---- subscriptions

    @Test
    void subscriptionReceivesStoredEventsThenEoseThenLiveEvents() {
        Event older = note(ALICE, 1_000, "older");
        Event newer = note(ALICE, 2_000, "newer");
        relay.store(older, newer, reaction(ALICE, 1_500));
        RelayClient client = client();
        Recorder recorder = new Recorder();

        client.subscribe(NOTES, recorder);
        await().atMost(WAIT).until(() -> recorder.timeline.size() == 3);
        Event live = note(BOB, 3_000, "live");
        assertThat(client.send(live)).succeedsWithin(WAIT);

        await().atMost(WAIT).until(() -> recorder.timeline.size() == 4);
        assertThat(recorder.timeline).containsExactly("event newer", "event older", "EOSE", "event live");
        assertThat(recorder.events).containsExactly(newer, older, live);
    }

    @Test
    void closingASubscriptionSendsCloseAndEndsDelivery() {
        RelayClient client = client();
        Recorder closed = new Recorder();
        Recorder open = new Recorder();
        Subscription subscription = client.subscribe(NOTES, closed);
        client.subscribe(NOTES, open);
        await().atMost(WAIT).until(() -> closed.eoses() == 1 && open.eoses() == 1);

        subscription.close();

        assertThat(subscription.isOpen()).isFalse();
        await().atMost(WAIT).until(() -> relay.received(ClientMessage.Close.class).stream()
                .anyMatch(close -> close.subscriptionId().equals(subscription.id())));
        relay.store(note(ALICE, 1_000, "after close"));
        await().atMost(WAIT).until(() -> open.events.size() == 1);
        assertThat(closed.events).isEmpty();
        assertThat(closed.closedReasons).isEmpty();
    }

    @Test
    void relayClosingASubscriptionTellsTheListener() {
        relay.requireAuth(); // and the client has no key: the REQ is refused for good
        RelayClient client = client();
        Recorder recorder = new Recorder();

        Subscription subscription = client.subscribe(NOTES, recorder);

        await().atMost(WAIT).until(() -> !recorder.closedReasons.isEmpty());
        assertThat(recorder.closedReasons).containsExactly("auth-required: sign in to read");
        assertThat(subscription.isOpen()).isFalse();
    }

    @Test
    void eventsThatFailVerificationAreNotDelivered() {
        RelayClient client = client();
        Recorder recorder = new Recorder();
        client.subscribe(NOTES, recorder);
        await().atMost(WAIT).until(() -> recorder.eoses() == 1);
        Event genuine = note(ALICE, 1_000, "genuine");
        Event forged = new Event(genuine.id(), genuine.pubkey(), genuine.createdAt(), genuine.kind(), genuine.tags(),
                "forged", genuine.sig());

        relay.sendToSubscribers(forged.toJson());
        relay.store(genuine);

        await().atMost(WAIT).until(() -> recorder.events.size() == 1);
        assertThat(recorder.events).containsExactly(genuine);
        assertThat(client.invalidEventsDropped()).isEqualTo(1);
    }

    @Test
    void deliversEventsUncheckedWhenVerificationIsLeftToTheCaller() {
        RelayClient client = RelayClient.builder().url(relay.url()).verifyEvents(false).build();
        try {
            Recorder recorder = new Recorder();
            client.subscribe(NOTES, recorder);
            await().atMost(WAIT).until(() -> recorder.eoses() == 1);
            Event genuine = note(ALICE, 1_000, "genuine");
            Event forged = new Event(genuine.id(), genuine.pubkey(), genuine.createdAt(), genuine.kind(),
                    genuine.tags(), "forged", genuine.sig());

            relay.sendToSubscribers(forged.toJson());

            await().atMost(WAIT).until(() -> recorder.events.size() == 1);
            assertThat(recorder.events).containsExactly(forged);
            assertThat(client.invalidEventsDropped()).isZero();
        } finally {
            client.close();
        }
    }

    // ---- COUNT

    @Test
    void countAnswersHowManyEventsMatch() {
        relay.store(note(ALICE, 1_000, "one"), note(BOB, 1_001, "two"), reaction(ALICE, 1_002));
        RelayClient client = client();

        assertThat(client.count(List.of(NOTES))).succeedsWithin(WAIT).isEqualTo(2L);
        assertThat(client.count(List.of(NOTES, Filter.builder().kinds(7).build()))).succeedsWithin(WAIT)
                .isEqualTo(3L);
    }

    @Test
    void countFailsWhenTheRelayAnswersClosed() {
        relay.refuseCounts("restricted: no counting here");
        RelayClient client = client();

        assertThat(failure(client.count(List.of(NOTES))))
                .isInstanceOfSatisfying(RequestRefusedException.class, refused -> {
                    assertThat(refused.reason().is(ReasonPrefix.RESTRICTED)).isTrue();
                    assertThat(refused.getMessage()).contains(relay.url().toString(), "no counting here");
                });
    }

    // ---- NIP-42

    @Test
    void answersTheChallengeAndSendsWhatWasRefusedAgain() {
        relay.requireAuth();
        relay.store(note(BOB, 1_000, "members only"));
        RelayClient client = client(builder -> builder.authKey(ALICE));
        Recorder recorder = new Recorder();
        Event hello = note(ALICE, 2_000, "hello members");

        client.subscribe(NOTES, recorder);
        CompletableFuture<OkResult> sent = client.send(hello);
        CompletableFuture<Long> count = client.count(List.of(NOTES));

        assertThat(sent).succeedsWithin(WAIT).satisfies(ok -> assertThat(ok.accepted()).isTrue());
        assertThat(count).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> recorder.events.size() == 2);
        assertThat(recorder.closedReasons).isEmpty();
        assertThat(relay.stored()).contains(hello);
        assertThat(relay.received(ClientMessage.Auth.class)).singleElement().satisfies(auth -> {
            Event event = auth.event();
            assertThat(event.kind()).isEqualTo(22_242);
            assertThat(event.pubkey()).isEqualTo(ALICE.pubKey());
            assertThat(event.firstTagValue("relay")).contains(relay.url().toString());
            assertThat(event.firstTagValue("challenge")).isPresent();
        });
    }

    @Test
    void withoutAKeyTheAuthRequiredRefusalIsTheAnswer() {
        relay.requireAuth();
        RelayClient client = client();

        assertThat(client.send(note(ALICE, 1_000, "hello"))).succeedsWithin(WAIT).satisfies(ok -> {
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.is(ReasonPrefix.AUTH_REQUIRED)).isTrue();
        });
        assertThat(relay.received(ClientMessage.Auth.class)).isEmpty();
    }

    // ---- connection

    @Test
    void reconnectsResubscribesSinceTheNewestEventAndSendsWhatWaited() {
        Event seen = note(ALICE, 1_000, "seen before the drop");
        relay.store(seen);
        Recorder recorder = new Recorder();
        RelayClient client = subscribedThenCutOff(recorder);
        Event queued = note(ALICE, 3_000, "sent while disconnected");
        CompletableFuture<OkResult> sent = client.send(queued);
        Event sameSecond = note(BOB, 1_000, "same second as the last one seen");
        Event missed = note(BOB, 2_000, "stored while disconnected");
        relay.store(sameSecond, missed);
        relay.acceptConnections();

        assertThat(sent).succeedsWithin(WAIT).satisfies(ok -> assertThat(ok.accepted()).isTrue());
        await().atMost(WAIT).until(() -> recorder.events.size() == 4);
        assertThat(recorder.events).containsExactlyInAnyOrder(seen, sameSecond, missed, queued);
        assertThat(recorder.eoses()).isEqualTo(1);
        List<ClientMessage.Req> reqs = relay.received(ClientMessage.Req.class);
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(1).subscriptionId()).isEqualTo(reqs.get(0).subscriptionId());
        assertThat(reqs.get(1).filters()).singleElement()
                .satisfies(filter -> assertThat(filter.since()).isEqualTo(OptionalLong.of(1_000)));
    }

    @Test
    void theConnectionListenerHearsEachReconnectBeforeWhatTheNewConnectionBrings() {
        Event seen = note(ALICE, 1_000, "seen");
        relay.store(seen);
        Recorder recorder = new Recorder();
        RelayClient client = client(builder -> builder.reconnect(Duration.ofMillis(10), Duration.ofMillis(100))
                .connectionListener(recorder));
        client.subscribe(NOTES, recorder);
        await().atMost(WAIT).until(() -> recorder.eoses() == 1);
        relay.refuseConnections();
        relay.dropConnections();
        await().atMost(WAIT).until(() -> !client.isConnected());
        relay.store(note(BOB, 2_000, "missed"));
        relay.acceptConnections();

        await().atMost(WAIT).until(() -> recorder.timeline.contains("EOSE again"));
        // one disconnect: the attempts refused while cut off never opened, so they are not heard
        assertThat(recorder.timeline).containsExactly("connected", "event seen", "EOSE", "disconnected",
                "reconnected", "resubscribed", "event missed", "EOSE again");
        assertThat(recorder.problems).singleElement().asString().isNotBlank();
    }

    @Test
    void aConnectionLostBeforeEoseAsksForTheStoredEventsAgainWithTheSameFilters() {
        Filter notesSince = Filter.builder().kinds(1).since(900).build();
        List<Event> stored = List.of(note(ALICE, 1_000, "oldest"), note(ALICE, 1_001, "older"),
                note(ALICE, 1_002, "middle"), note(ALICE, 1_003, "newer"), note(ALICE, 1_004, "newest"));
        relay.store(stored.toArray(Event[]::new));
        relay.closeAfterStoredEvents(2); // newest, newer: then the connection goes
        Recorder recorder = new Recorder();

        reconnectingClient().subscribe(notesSince, recorder);

        await().atMost(WAIT).until(() -> recorder.eoses() == 1);
        // "newer" comes twice (only the newest second is deduplicated): again, never skipped
        assertThat(recorder.events).containsOnlyElementsOf(stored).containsAll(stored);
        assertThat(recorder.timeline).containsExactly("event newest", "event newer", "resubscribed",
                "event newer", "event middle", "event older", "event oldest", "EOSE");
        List<ClientMessage.Req> reqs = relay.received(ClientMessage.Req.class);
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(1).filters()).containsExactly(notesSince); // not since 1004: older ones were missing
    }

    @Test
    void aResubscriptionCutOffBeforeItsEoseIsSentAgainFromTheSameSince() {
        Event seen = note(ALICE, 1_000, "seen");
        relay.store(seen);
        Recorder recorder = new Recorder();
        subscribedThenCutOff(recorder);
        Event sameSecond = note(BOB, 1_000, "missed, same second");
        Event missedOld = note(BOB, 2_000, "missed old");
        Event missedNew = note(BOB, 3_000, "missed new");
        relay.store(sameSecond, missedOld, missedNew);
        relay.closeAfterStoredEvents(1); // the resubscription gets "missed new", then the connection goes again
        relay.acceptConnections();

        await().atMost(WAIT).until(() -> recorder.timeline.contains("EOSE again"));
        // each once: the boundaries (since 1000, newest 3000) are recognised by id
        assertThat(recorder.events).containsExactlyInAnyOrder(seen, sameSecond, missedOld, missedNew);
        assertThat(recorder.timeline).containsExactly("event seen", "EOSE", "resubscribed", "event missed new",
                "resubscribed", "event missed old", "event missed, same second", "EOSE again");
        List<ClientMessage.Req> reqs = relay.received(ClientMessage.Req.class);
        assertThat(reqs).hasSize(3);
        assertThat(reqs.subList(1, 3)).allSatisfy(req -> assertThat(req.filters()).singleElement()
                .satisfies(filter -> assertThat(filter.since()).isEqualTo(OptionalLong.of(1_000))));
    }

    @Test
    void withoutReconnectALostConnectionFailsRequestsAndEndsSubscriptions() {
        relay.silent();
        RelayClient client = client(RelayClient.Builder::noReconnect);
        Recorder recorder = new Recorder();
        client.subscribe(NOTES, recorder);
        await().atMost(WAIT).until(() -> recorder.eoses() == 1);
        CompletableFuture<OkResult> sent = client.send(note(ALICE, 1_000, "unanswered"));
        await().atMost(WAIT).until(() -> relay.received(ClientMessage.Publish.class).size() == 1);

        relay.dropConnections();

        assertThat(failure(sent)).isInstanceOf(ConnectionFailedException.class).hasMessageContaining("lost");
        await().atMost(WAIT).until(() -> !recorder.closedReasons.isEmpty());
        assertThat(recorder.closedReasons).singleElement().asString().startsWith("error: connection lost");
    }

    @Test
    void connectCompletesWhenOpenAndFailsWhenRefused() {
        RelayClient client = client();
        assertThat(client.connect()).succeedsWithin(WAIT);
        assertThat(client.isConnected()).isTrue();

        relay.refuseConnections();
        RelayClient refused = client();
        assertThat(failure(refused.connect())).isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("could not connect");
    }

    @Test
    void aRequestWithNoAnswerTimesOut() {
        relay.silent();
        RelayClient client = client(builder -> builder.requestTimeout(Duration.ofMillis(200)));

        assertThat(failure(client.send(note(ALICE, 1_000, "into the void"))))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("no OK for EVENT")
                .hasMessageContaining("sent, no answer");
        assertThat(failure(client.count(List.of(NOTES)))).isInstanceOf(RequestTimeoutException.class);
    }

    @Test
    void aRequestThatCouldNotBeSentTimesOutSayingWhy() {
        relay.refuseConnections();
        RelayClient client = client(builder -> builder.requestTimeout(Duration.ofMillis(300)));

        assertThat(failure(client.send(note(ALICE, 1_000, "never sent"))))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("never sent")
                .hasMessageContaining("could not connect");
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        relay.refuseConnections();
        RelayClient client = client(builder -> builder.maxQueuedRequests(2));

        CompletableFuture<OkResult> first = client.send(note(ALICE, 1_000, "one"));
        CompletableFuture<OkResult> second = client.send(note(ALICE, 1_001, "two"));
        CompletableFuture<OkResult> third = client.send(note(ALICE, 1_002, "three"));

        assertThat(failure(third)).isInstanceOf(QueueFullException.class).hasMessageContaining("2 requests");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
    }

    @Test
    void closeFailsWhatWaitsAndClosesTheConnectionNormally() {
        relay.silent();
        RelayClient client = client();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe(NOTES, recorder);
        CompletableFuture<OkResult> sent = client.send(note(ALICE, 1_000, "unanswered"));
        await().atMost(WAIT).until(() -> relay.received(ClientMessage.Publish.class).size() == 1);

        client.close();

        assertThat(failure(sent)).isInstanceOf(ClientClosedException.class);
        assertThat(subscription.isOpen()).isFalse();
        await().atMost(WAIT).until(() -> relay.closeCodes().contains(1000));
        assertThat(failure(client.send(note(ALICE, 1_001, "too late")))).isInstanceOf(ClientClosedException.class);
        assertThatThrownBy(() -> client.subscribe(NOTES, recorder)).isInstanceOf(ClientClosedException.class);
        assertThat(recorder.closedReasons).isEmpty();
    }

    @Test
    void noticesGoToTheNoticeListener() {
        List<String> notices = new CopyOnWriteArrayList<>();
        RelayClient client = client(builder -> builder.noticeListener(notices::add));
        assertThat(client.connect()).succeedsWithin(WAIT);
        // the server lists a connection only after it has sent the handshake answer: the client can be first
        await().atMost(WAIT).until(() -> relay.openConnections() == 1);

        relay.notice("restarting soon");

        await().atMost(WAIT).until(() -> notices.contains("restarting soon"));
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThatThrownBy(() -> RelayClient.builder().url("https://relay.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:// or wss://");
        assertThatThrownBy(() -> RelayClient.builder().url("wss://"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayClient.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("URL is required");
        assertThatThrownBy(() -> RelayClient.builder().url("ws://localhost:1").requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> RelayClient.builder().url("ws://localhost:1").maxQueuedRequests(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueuedRequests");
        assertThat(RelayClient.builder().url("WSS://relay.example.com/path").build().url())
                .hasToString("WSS://relay.example.com/path");
    }

    // ---- helpers

    private RelayClient client() {
        return client(builder -> { });
    }

    private RelayClient client(Consumer<RelayClient.Builder> settings) {
        RelayClient.Builder builder = RelayClient.builder().url(relay.url());
        settings.accept(builder);
        RelayClient client = builder.build();
        clients.add(client);
        return client;
    }

    /** Sends an event to the relay, made silent first, and returns once the relay has it: no OK will come. */
    private CompletableFuture<OkResult> sentToASilentRelay(RelayClient client, Event event) {
        relay.silent();
        CompletableFuture<OkResult> sent = client.send(event);
        await().atMost(WAIT).until(() -> relay.received(ClientMessage.Publish.class).size() == 1);
        return sent;
    }

    /** A client that reconnects quickly. */
    private RelayClient reconnectingClient() {
        return client(builder -> builder.reconnect(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    /**
     * A {@link #reconnectingClient()} subscribed to notes until its first EOSE, then cut off: the relay refuses
     * new connections until {@code acceptConnections()}.
     */
    private RelayClient subscribedThenCutOff(Recorder recorder) {
        RelayClient client = reconnectingClient();
        client.subscribe(NOTES, recorder);
        await().atMost(WAIT).until(() -> recorder.eoses() == 1);
        relay.refuseConnections();
        relay.dropConnections();
        await().atMost(WAIT).until(() -> !client.isConnected());
        return client;
    }

    /** The exception a future completes with (unwrapped), waiting for it. */
    private static Throwable failure(CompletableFuture<?> future) {
        await().atMost(WAIT).until(future::isDone);
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, failure) -> failure).join();
    }

    private static Event note(SecKey author, long createdAt, String content) {
        return new UnsignedEvent(author.pubKey(), createdAt, 1, List.of(), content).sign(author);
    }

    private static Event reaction(SecKey author, long createdAt) {
        return new UnsignedEvent(author.pubKey(), createdAt, 7, List.of(Tag.of("k", "1")), "+").sign(author);
    }

    /** Records what a subscription (and, if given it, the connection listener) hears, in order. */
    private static final class Recorder implements SubscriptionListener, ConnectionListener {
        final List<String> timeline = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<String> closedReasons = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            events.add(event);
            timeline.add("event " + event.content());
        }

        @Override
        public void onEose() {
            timeline.add("EOSE");
        }

        @Override
        public void onResubscribed() {
            timeline.add("resubscribed");
        }

        @Override
        public void onEoseAgain() {
            timeline.add("EOSE again");
        }

        @Override
        public void onClosed(String reason) {
            closedReasons.add(reason);
        }

        @Override
        public void onConnected(boolean reconnected) {
            timeline.add(reconnected ? "reconnected" : "connected");
        }

        @Override
        public void onDisconnected(String problem) {
            problems.add(problem);
            timeline.add("disconnected");
        }

        long eoses() {
            return timeline.stream().filter("EOSE"::equals).count();
        }
    }
}
