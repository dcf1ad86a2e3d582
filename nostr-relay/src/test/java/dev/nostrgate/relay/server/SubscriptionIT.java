package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.note;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REQ: stored events, EOSE, then live ones; CLOSE; a REQ replacing an open one; the order rule under load. */
class SubscriptionIT {
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static Filter by(SecKey key) {
        return Filter.builder().authors(key.pubKey().hex()).build();
    }

    @Test
    void sendsStoredEventsNewestFirstThenEoseThenLiveEvents() {
        SecKey key = SecKey.generate();
        try (TestClient publisher = relay.connect(); TestClient subscriber = relay.connect()) {
            long now = now();
            Event oldest = event(key, 1, now - 30, "oldest");
            Event middle = event(key, 1, now - 20, "middle");
            Event newest = event(key, 1, now - 10, "newest");
            for (Event event : List.of(middle, oldest, newest)) {
                assertThat(publisher.publish(event).accepted()).isTrue();
            }
            assertThat(subscriber.req("feed", by(key))).containsExactly(newest, middle, oldest);

            Event live = event(key, 1, now - 40, "live, even if older");
            assertThat(publisher.publish(live).accepted()).isTrue();
            RelayMessage.EventMessage delivered = subscriber.next(RelayMessage.EventMessage.class);
            assertThat(delivered.subscriptionId()).isEqualTo("feed");
            assertThat(delivered.event()).isEqualTo(live);
        }
    }

    @Test
    void appliesLimitToStoredEventsOnlyAndBreaksTiesByLowestId() {
        SecKey key = SecKey.generate();
        try (TestClient client = relay.connect()) {
            long now = now();
            List<Event> sameSecond = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sameSecond.add(event(key, 1, now, "tie " + i));
            }
            for (Event event : sameSecond) {
                assertThat(client.publish(event).accepted()).isTrue();
            }
            List<Event> expected = sameSecond.stream().sorted((a, b) -> a.id().compareTo(b.id())).limit(2).toList();
            assertThat(client.req("two", by(key).toBuilder().limit(2).build())).containsExactlyElementsOf(expected);
            assertThat(client.req("none", by(key).toBuilder().limit(0).build())).isEmpty();
        }
    }

    @Test
    void mergesTheFiltersOfOneReqAndSendsEachEventOnce() {
        SecKey key = SecKey.generate();
        try (TestClient client = relay.connect()) {
            Event tagged = event(key, 7, now() - 1, "+", Tag.of("t", "nostr"));
            Event plain = event(key, 1, now(), "plain");
            assertThat(client.publish(tagged).accepted()).isTrue();
            assertThat(client.publish(plain).accepted()).isTrue();
            assertThat(client.req("or", Filter.builder().authors(key.pubKey().hex()).kinds(7).build(),
                    Filter.builder().tag('t', "nostr").authors(key.pubKey().hex()).build(), by(key)))
                    .containsExactly(plain, tagged);
        }
    }

    @Test
    void stopsLiveEventsAfterClose() {
        SecKey key = SecKey.generate();
        SecKey markerKey = SecKey.generate();
        try (TestClient publisher = relay.connect(); TestClient subscriber = relay.connect()) {
            assertThat(subscriber.req("closed", by(key))).isEmpty();
            subscriber.send(new ClientMessage.Close("closed"));
            assertThat(subscriber.req("marker", by(key), by(markerKey))).isEmpty();

            Event first = note(key, "after close");
            Event second = note(markerKey, "marker");
            assertThat(publisher.publish(first).accepted()).isTrue();
            assertThat(publisher.publish(second).accepted()).isTrue();
            // The monitor handles events in commit order and a connection's queue is FIFO: whatever the closed
            // subscription would have received for the first event would come before the marker's second event.
            assertThat(idsUntil(subscriber, "marker", second.id())).containsExactly("marker:" + first.id().hex(),
                    "marker:" + second.id().hex());
        }
    }

    @Test
    void replacesASubscriptionWhenAReqReusesItsId() {
        SecKey before = SecKey.generate();
        SecKey after = SecKey.generate();
        try (TestClient publisher = relay.connect(); TestClient subscriber = relay.connect()) {
            Event storedAfter = note(after, "stored for the new filters");
            assertThat(publisher.publish(storedAfter).accepted()).isTrue();
            assertThat(subscriber.req("same", by(before))).isEmpty();
            assertThat(subscriber.req("same", by(after))).containsExactly(storedAfter);

            Event old = note(before, "matches only the replaced filters");
            Event fresh = note(after, "matches the new filters");
            assertThat(publisher.publish(old).accepted()).isTrue();
            assertThat(publisher.publish(fresh).accepted()).isTrue();
            assertThat(idsUntil(subscriber, "same", fresh.id())).containsExactly("same:" + fresh.id().hex());
        }
    }

    @Test
    void deliversEveryEventPublishedDuringTheStoredQueryExactlyOnce() {
        SecKey key = SecKey.generate();
        try (TestClient publisher = relay.connect(); TestClient subscriber = relay.connect()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                events.add(event(key, 1, now() - i % 50, "race " + i));
            }
            // Publish without waiting, and subscribe in the middle of it.
            for (int i = 0; i < events.size(); i++) {
                publisher.send(new ClientMessage.Publish(events.get(i)));
                if (i == 150) {
                    subscriber.send(new ClientMessage.Req("race", by(key)));
                }
            }
            for (int i = 0; i < events.size(); i++) {
                assertThat(publisher.next(RelayMessage.Ok.class).accepted()).isTrue();
            }
            Map<String, Integer> received = new HashMap<>();
            boolean eose = false;
            while (received.size() < events.size() || !eose) {
                RelayMessage message = subscriber.next();
                if (message instanceof RelayMessage.Eose) {
                    assertThat(eose).as("one EOSE").isFalse();
                    eose = true;
                    continue;
                }
                Event event = ((RelayMessage.EventMessage) message).event();
                received.merge(event.id().hex(), 1, Integer::sum);
            }
            assertThat(eose).isTrue();
            assertThat(received.values()).allMatch(count -> count == 1);
            Set<String> expected = new HashSet<>();
            events.forEach(e -> expected.add(e.id().hex()));
            assertThat(received.keySet()).isEqualTo(expected);
        }
    }

    @Test
    void neverSendsAnEventAgainAsLiveWhenItWasInTheStoredPart() {
        try (TestClient publisher = relay.connect(); TestClient subscriber = relay.connect()) {
            for (int round = 0; round < 30; round++) {
                SecKey key = SecKey.generate();
                Event stored = note(key, "stored just before the REQ");
                assertThat(publisher.publish(stored).accepted()).isTrue();
                String id = "round" + round;
                assertThat(subscriber.req(id, by(key))).containsExactly(stored);
                Event marker = note(key, "marker");
                assertThat(publisher.publish(marker).accepted()).isTrue();
                assertThat(idsUntil(subscriber, id, marker.id())).as("nothing between EOSE and the marker")
                        .containsExactly(id + ":" + marker.id().hex());
                subscriber.send(new ClientMessage.Close(id));
            }
        }
    }

    /** "sub:id" of every EVENT until the event with the given id arrives for the subscription. */
    private static List<String> idsUntil(TestClient client, String subscriptionId, EventId last) {
        List<String> seen = new ArrayList<>();
        while (true) {
            RelayMessage.EventMessage message = client.next(RelayMessage.EventMessage.class);
            seen.add(message.subscriptionId() + ":" + message.event().id().hex());
            if (message.subscriptionId().equals(subscriptionId) && message.event().id().equals(last)) {
                return seen;
            }
        }
    }
}
