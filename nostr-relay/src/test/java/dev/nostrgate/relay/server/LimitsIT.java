package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.note;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.core.event.EventId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each per-client limit is enforced with a NIP-01 answer, and the connection (or another one) goes on. */
class LimitsIT {
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withLimits(config.limits().toBuilder()
                .maxSubscriptions(3).maxFilters(5).maxSubidLength(10).eventsPerSecond(1).eventBurst(5)
                .maxMessageBytes(MAX_MESSAGE_BYTES).build()));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static Filter anything() {
        return Filter.builder().kinds(1).limit(0).build();
    }

    @Test
    void refusesASubscriptionOverTheLimitButAllowsReplacingOne() {
        try (TestClient client = relay.connect()) {
            for (String id : List.of("a", "b", "c")) {
                assertThat(client.req(id, anything())).isEmpty();
            }
            client.send(new ClientMessage.Req("d", anything()));
            RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
            assertThat(closed.subscriptionId()).isEqualTo("d");
            assertThat(closed.reason().is(ReasonPrefix.RATE_LIMITED)).as(closed.message()).isTrue();
            assertThat(client.req("b", anything())).as("replacing an open one").isEmpty();
            client.send(new ClientMessage.Close("a"));
            assertThat(client.req("d", anything())).as("after a CLOSE").isEmpty();
        }
    }

    @Test
    void refusesMoreFiltersThanTheLimit() {
        try (TestClient client = relay.connect()) {
            client.send(new ClientMessage.Req("six", filters(6)));
            assertThat(client.next(RelayMessage.Closed.class).message())
                    .isEqualTo("invalid: too many filters (6; at most 5)");
            assertThat(client.req("five", filters(5).toArray(Filter[]::new))).isEmpty();
        }
    }

    @Test
    void refusesAThousandFiltersAndStaysUp() {
        try (TestClient client = relay.connect(); TestClient other = relay.connect()) {
            client.send(new ClientMessage.Req("many", filters(1_000)));
            RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
            assertThat(closed.subscriptionId()).isEqualTo("many");
            assertThat(closed.message()).isEqualTo("invalid: too many filters (1000; at most 5)");
            client.send(new ClientMessage.Count("many", filters(1_000)));
            assertThat(client.next(RelayMessage.Closed.class).message()).startsWith("invalid: too many filters");
            assertThat(client.req("ok", anything())).isEmpty();
            assertThat(other.req("ok", anything())).isEmpty();
        }
    }

    @Test
    void refusesASubscriptionIdLongerThanTheLimit() {
        try (TestClient client = relay.connect()) {
            client.send(new ClientMessage.Req("x".repeat(11), anything()));
            RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
            assertThat(closed.subscriptionId()).isEqualTo("x".repeat(11));
            assertThat(closed.message()).isEqualTo("invalid: subscription id longer than 10 characters");
            assertThat(client.req("x".repeat(10), anything())).isEmpty();
        }
    }

    @Test
    void rateLimitsEventsPerConnectionWithATokenBucket() {
        SecKey key = SecKey.generate();
        try (TestClient client = relay.connect(); TestClient other = relay.connect()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                events.add(note(key, "burst " + i));
                client.send(new ClientMessage.Publish(events.get(i)));
            }
            int accepted = 0;
            int limited = 0;
            Set<EventId> answered = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                // Refusals are answered at once, acceptances after the commit: OKs come in their own order.
                RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
                assertThat(answered.add(ok.eventId())).as("one OK per event").isTrue();
                if (ok.accepted()) {
                    accepted++;
                } else {
                    assertThat(ok.message()).isEqualTo(
                            "rate-limited: slow down: at most 1 events per second (bursts of 5)");
                    limited++;
                }
            }
            assertThat(accepted).as("the burst, plus what refilled meanwhile").isGreaterThanOrEqualTo(5).isLessThan(12);
            assertThat(limited).isPositive();
            assertThat(answered).containsExactlyInAnyOrderElementsOf(events.stream().map(Event::id).toList());
            assertThat(other.publish(note(key, "another connection has its own bucket")).accepted()).isTrue();
        }
    }

    @Test
    void closesWithAReasonOnAOneMegabyteFrameAndStaysUpForOthers() {
        try (TestClient client = relay.connect(); TestClient other = relay.connect()) {
            client.send("[\"EVENT\",\"" + "x".repeat(1024 * 1024) + "\"]");
            assertThat(client.next(RelayMessage.Notice.class).message()).isEqualTo("invalid: message too big: at "
                    + "most " + MAX_MESSAGE_BYTES + " bytes (max_message_length); closing the connection");
            assertThat(client.awaitClose()).isEqualTo(1009);
            assertThat(client.closeReason()).startsWith("message too big");
            assertThat(other.req("ok", anything())).isEmpty();
        }
    }

    @Test
    void answersAFragmentedMessageOverTheLimitWithANoticeAndReadsOn() {
        try (TestClient client = relay.connect()) {
            String part = "x".repeat(40 * 1024);
            client.sendFragment("[\"NOTICE\",\"" + part, false);
            client.sendFragment(part, false);
            client.sendFragment("\"]", true);
            assertThat(client.next(RelayMessage.Notice.class).message())
                    .isEqualTo("invalid: message too big: at most " + MAX_MESSAGE_BYTES + " bytes (max_message_length)");
            assertThat(client.req("ok", anything())).isEmpty();
        }
    }

    @Test
    void advertisesWhatItEnforces() {
        var limits = relay.relay().config().limits();
        assertThat(limits.maxFilters()).isEqualTo(5);
        assertThat(limits.maxMessageBytes()).isEqualTo(MAX_MESSAGE_BYTES);
    }

    private static List<Filter> filters(int n) {
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            filters.add(Filter.builder().kinds(i).limit(0).build());
        }
        return filters;
    }
}
