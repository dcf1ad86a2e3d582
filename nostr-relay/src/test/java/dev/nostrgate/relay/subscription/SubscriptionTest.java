package dev.nostrgate.relay.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.server.EmbeddedConnection;
import dev.nostrgate.relay.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order rule, in isolation: nothing live before EOSE, nothing twice, nothing after cancel. */
class SubscriptionTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static String json(String id) {
        return "{\"id\":\"" + id + "\"}";
    }

    private static byte[] utf8(String id) {
        return json(id).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void holdsLiveEventsUntilEoseAndSkipsThoseTheStoredPartSent() {
        EmbeddedConnection embedded = new EmbeddedConnection(1 << 20);
        Subscription subscription = new Subscription(embedded.connection(), "s", List.of(Filter.ALL), 1 << 20);
        assertThat(subscription.sendStored(utf8(A))).isTrue();
        assertThat(subscription.deliver(A, utf8(A))).isTrue(); // committed while the query ran, and found by it
        assertThat(subscription.deliver(B, utf8(B))).isTrue(); // committed after the query read
        assertThat(embedded.sent()).containsExactly("[\"EVENT\",\"s\"," + json(A) + "]");

        subscription.finishStored(List.of(new StoredEvent(A, 1, json(A))));
        assertThat(subscription.deliver(C, utf8(C))).isTrue();
        assertThat(embedded.sent()).containsExactly("[\"EOSE\",\"s\"]", "[\"EVENT\",\"s\"," + json(B) + "]",
                "[\"EVENT\",\"s\"," + json(C) + "]");
    }

    @Test
    void dropsALiveEventThatTheStoredPartSentWhenItArrivesAfterEose() {
        EmbeddedConnection embedded = new EmbeddedConnection(1 << 20);
        Subscription subscription = new Subscription(embedded.connection(), "s", List.of(Filter.ALL), 1 << 20);
        assertThat(subscription.sendStored(utf8(A))).isTrue();
        subscription.finishStored(List.of(new StoredEvent(A, 1, json(A))));
        // A was committed just before the query read it, and its notice (another replica's, say) arrives late.
        assertThat(subscription.deliver(A, utf8(A))).isTrue();
        assertThat(subscription.deliver(B, utf8(B))).isTrue();
        assertThat(embedded.sent()).containsExactly("[\"EVENT\",\"s\"," + json(A) + "]", "[\"EOSE\",\"s\"]",
                "[\"EVENT\",\"s\"," + json(B) + "]");
    }

    @Test
    void sendsNothingOnceCancelled() {
        EmbeddedConnection embedded = new EmbeddedConnection(1 << 20);
        Subscription subscription = new Subscription(embedded.connection(), "s", List.of(Filter.ALL), 1 << 20);
        subscription.cancel();
        assertThat(subscription.sendStored(utf8(A))).isFalse();
        assertThat(subscription.deliver(B, utf8(B))).isFalse();
        subscription.finishStored(List.of());
        assertThat(embedded.sent()).isEmpty();
    }

    @Test
    void endsWithClosedWhenTooMuchIsHeldBeforeEose() {
        EmbeddedConnection embedded = new EmbeddedConnection(1 << 20);
        Subscription subscription = new Subscription(embedded.connection(), "s", List.of(Filter.ALL), 100);
        embedded.connection().subscriptions().put("s", subscription);
        assertThat(subscription.deliver(A, utf8(A))).isTrue();
        assertThat(subscription.deliver(B, (json(B) + " ".repeat(100)).getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(embedded.sent()).singleElement().asString()
                .startsWith("[\"CLOSED\",\"s\",\"rate-limited: more new events arrived");
        assertThat(embedded.connection().subscriptions()).isEmpty();
    }
}
