package dev.nostrgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.sink.FailedMessages;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.RelayTopology;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A message whose content makes the consumer fail every time (here the signature check throws for one event, as a
 * bug would) neither loops nor blocks its relay's queue: after {@code gateway.sink-max-attempts} failures it is in
 * {@code nostr.dead} with the exception, and every other message, of its batch or later, is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PoisonMessageIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final SecKey AUTHOR = SecKey.generate();
    private static final int MAX_ATTEMPTS = 3;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.sink-max-delay", () -> "10ms");
        registry.add("gateway.sink-max-attempts", () -> MAX_ATTEMPTS);
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @MockitoSpyBean
    EventVerifier verifier;
    @Autowired
    RelayRegistry registry;
    @Autowired
    RelayLifecycle lifecycle;
    @Autowired
    SqlEventStore store;
    @Autowired
    AmqpAdmin admin;
    @Autowired
    RabbitTemplate rabbit;

    @AfterEach
    void removeRelays() {
        RegisteredRelays.removeAll(registry, lifecycle); // a failed test's too: their queues outlive the schema
    }

    private long clock = System.currentTimeMillis() / 1000 - 1_000;

    private Event note(String text) {
        return new UnsignedEvent(AUTHOR.pubKey(), clock++, 1, List.of(), text).sign(AUTHOR);
    }

    private static Message batch(Event... events) {
        return EventBatchCodec.encode(Stream.of(events).map(e -> e.toJson().getBytes(StandardCharsets.UTF_8)).toList(),
                System.currentTimeMillis(), "batch-" + events[0].id().hex());
    }

    private Set<String> storedIds() {
        Set<String> ids = new HashSet<>();
        store.query(List.of(Filter.builder().limit(10_000).build())).stream().map(StoredEvent::idHex)
                .forEach(ids::add);
        return ids;
    }

    private static Set<String> ids(Event... events) {
        Set<String> ids = new HashSet<>();
        for (Event event : events) {
            ids.add(event.id().hex());
        }
        return ids;
    }

    @Test
    void aMessageThatFailsEveryTimeEndsInTheDeadLettersAfterMaxAttemptsWhileTheOthersAreStored() throws Exception {
        Event[] before = {note("before a"), note("before b")};
        Event poison = note("triggers a bug");
        Event sibling = note("in the same message as the poison");
        Event after = note("after");
        Event later = note("once the poison is dead");
        doThrow(new IllegalStateException("a bug this event triggers"))
                .when(verifier).problem(argThat(event -> event != null && event.id().equals(poison.id())));
        try (FakeRelay upstream = FakeRelay.start(); DeadLetterTap tap = new DeadLetterTap()) {
            RegisteredRelay relay = registry.add(upstream.url(), "poison", List.of(Filter.ALL));
            lifecycle.start(relay);
            Message poisoned = batch(poison, sibling);
            for (Message message : List.of(batch(before), poisoned, batch(after))) { // likely one consumer batch
                rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, message);
            }

            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(tap.drain(relay.id()));
                return !dead.isEmpty();
            });
            assertThat(dead).hasSize(1);
            Message deadLetter = dead.get(0);
            assertThat(deadLetter.getBody()).isEqualTo(poisoned.getBody()); // the whole message, as it was sent
            assertThat(FailedMessages.attempts(deadLetter)).isEqualTo(MAX_ATTEMPTS);
            assertThat((String) deadLetter.getMessageProperties().getHeader(RelayTopology.REASON_HEADER))
                    .isEqualTo("error: failed " + MAX_ATTEMPTS + " times, last with "
                            + "java.lang.IllegalStateException: a bug this event triggers");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> storedIds().containsAll(ids(before[0], before[1], after)));

            // the consumer goes on, and the poison is nowhere but in nostr.dead
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, batch(later));
            await().atMost(Duration.ofSeconds(10)).until(() -> storedIds().contains(later.id().hex()));
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.getQueueInfo(RelayTopology.queue(relay.id()))
                    .getMessageCount() == 0);
            assertThat(tap.drain(relay.id())).isEmpty();
            assertThat(storedIds()).doesNotContainAnyElementsOf(ids(poison, sibling));

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }
}
