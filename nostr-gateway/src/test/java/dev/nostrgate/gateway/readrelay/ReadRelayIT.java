package dev.nostrgate.gateway.readrelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.client.OkResult;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.RegisteredRelays;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.relay.store.SqlEventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The aggregate over NIP-01: an upstream relay's events, once stored, are served by the gateway's read relay to a
 * real client (nostr-core's {@link RelayClient}): stored events then EOSE, new upstream events live, COUNT, and
 * EVENT refused with {@code restricted:}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadRelayIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final SecKey ALICE = SecKey.generate();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.relay-bind", () -> "127.0.0.1");
        registry.add("gateway.sink-max-delay", () -> "10ms");
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @Autowired
    RelayRegistry registry;
    @Autowired
    RelayLifecycle lifecycle;
    @Autowired
    SqlEventStore store;
    @Autowired
    ReadRelay readRelay;

    @AfterEach
    void removeRelays() {
        RegisteredRelays.removeAll(registry, lifecycle); // a failed test's too: their queues outlive the schema
    }

    private static Event note(long createdAt, String text) {
        return new UnsignedEvent(ALICE.pubKey(), createdAt, 1, List.of(), text).sign(ALICE);
    }

    /** Records what a subscription receives, EOSE as a marker between stored and live events. */
    private static final class Recorder implements SubscriptionListener {
        final List<Event> stored = new CopyOnWriteArrayList<>();
        final List<Event> live = new CopyOnWriteArrayList<>();
        volatile boolean eose;

        @Override
        public void onEvent(Event event) {
            (eose ? live : stored).add(event);
        }

        @Override
        public void onEose() {
            eose = true;
        }
    }

    @Test
    void servesTheAggregateStoredThenLiveCountsAndRefusesWrites() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<Event> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(note(now - 10 + i, "upstream " + i));
        }
        Filter alice = Filter.builder().authors(ALICE.pubKey().hex()).build();
        try (FakeRelay upstream = FakeRelay.start()) {
            upstream.store(published.toArray(Event[]::new));
            RegisteredRelay relay = registry.add(upstream.url(), "upstream", List.of(Filter.ALL));
            lifecycle.start(relay);
            await().atMost(WAIT).until(() -> store.query(List.of(alice)).size() == published.size());

            try (RelayClient client = RelayClient.builder().url("ws://127.0.0.1:" + readRelay.port())
                    .noReconnect().build()) {
                client.connect().get(10, TimeUnit.SECONDS);
                Recorder recorder = new Recorder();
                client.subscribe(alice, recorder);
                await().atMost(WAIT).until(() -> recorder.eose);
                assertThat(recorder.stored).as("newest first, then EOSE")
                        .containsExactlyElementsOf(published.reversed());

                await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
                Event live = note(now, "live from upstream");
                upstream.sendToSubscribers(live.toJson());
                await().atMost(WAIT).until(() -> recorder.live.contains(live));
                assertThat(recorder.live).containsExactly(live);

                assertThat(client.count(List.of(alice)).get(10, TimeUnit.SECONDS)).isEqualTo(6);

                OkResult ok = client.send(note(now, "written to the gateway")).get(10, TimeUnit.SECONDS);
                assertThat(ok.accepted()).isFalse();
                assertThat(ok.prefix()).hasValue(ReasonPrefix.RESTRICTED);
                assertThat(ok.message()).startsWith("restricted:");
            }
            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    /** The read relay shares the relay's parser: an EVENT whose id is no event id still gets its OK, id as sent. */
    @Test
    void answersAnEventWhoseIdIsNoEventIdWithOkFalseCarryingTheIdAsSent() throws Exception {
        Event event = note(System.currentTimeMillis() / 1000, "uppercase id");
        String sentId = event.id().hex().toUpperCase();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + readRelay.port()), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
                        text.append(part);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText(new ClientMessage.Publish(event).toJson().replace(event.id().hex(), sentId), true);

            RelayMessage reply;
            do { // the relay opens with its NIP-42 challenge
                String text = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(text).as("a message from the read relay within " + WAIT).isNotNull();
                reply = RelayMessages.parse(text);
            } while (reply instanceof RelayMessage.AuthChallenge);
            assertThat(reply).isInstanceOfSatisfying(RelayMessage.OkAsSent.class, ok -> {
                assertThat(ok.idAsSent()).isEqualTo(sentId);
                assertThat(ok.message()).startsWith("invalid: id must be 64 lowercase hex characters");
            });
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }
}
