package dev.nostrgate.relay.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.server.EmbeddedConnection;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The query stage against a store that answers as told: streaming, merging, and failures as CLOSED. */
class QueryWorkerTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static StoredEvent stored(String id, long createdAt) {
        return new StoredEvent(id, createdAt, "{\"id\":\"" + id + "\"}");
    }

    /** Runs one subscription's stored part to the end (closing the pool waits for it) and returns what was sent. */
    private static List<String> run(Function<List<Filter>, List<StoredEvent>> answers, List<Filter> filters,
                                    List<Subscription> ended) {
        EmbeddedConnection embedded = new EmbeddedConnection(1 << 20);
        Subscription subscription = new Subscription(embedded.connection(), "s", filters, 1 << 20);
        embedded.connection().subscriptions().put("s", subscription);
        QueryWorker worker = new QueryWorker(new AnsweringStore(answers), 2, Duration.ofSeconds(3), 1 << 19,
                embedded.metrics());
        worker.stored(subscription, ended::add);
        worker.close();
        return embedded.sent();
    }

    @Test
    void streamsTheStoredEventsThenEose() {
        List<Subscription> ended = new ArrayList<>();
        List<String> sent = run(filters -> List.of(stored(B, 20), stored(A, 10)), List.of(Filter.ALL), ended);
        assertThat(sent).containsExactly("[\"EVENT\",\"s\",{\"id\":\"" + B + "\"}]",
                "[\"EVENT\",\"s\",{\"id\":\"" + A + "\"}]", "[\"EOSE\",\"s\"]");
        assertThat(ended).isEmpty();
    }

    @Test
    void mergesFiltersEachEventOnceNewestFirst() {
        Filter one = Filter.builder().kinds(1).build();
        Filter two = Filter.builder().kinds(2).build();
        List<String> sent = run(filters -> filters.get(0).equals(one)
                ? List.of(stored(A, 10), stored(C, 5)) : List.of(stored(B, 20), stored(A, 10)),
                List.of(one, two), new ArrayList<>());
        assertThat(sent).containsExactly("[\"EVENT\",\"s\",{\"id\":\"" + B + "\"}]",
                "[\"EVENT\",\"s\",{\"id\":\"" + A + "\"}]", "[\"EVENT\",\"s\",{\"id\":\"" + C + "\"}]",
                "[\"EOSE\",\"s\"]");
    }

    @Test
    void closesTheSubscriptionWithAnErrorWhenTheQueryRunsOverItsBudget() {
        List<Subscription> ended = new ArrayList<>();
        List<String> sent = run(filters -> {
            throw new StoreUnavailableException("query ran over its time budget and was cancelled", null, true);
        }, List.of(Filter.ALL), ended);
        assertThat(sent).containsExactly("[\"CLOSED\",\"s\",\"error: the query took longer than the relay allows; "
                + "narrow the filters or lower the limit\"]");
        assertThat(ended).hasSize(1);
    }

    @Test
    void closesTheSubscriptionWithAnErrorWhenTheDatabaseFails() {
        List<String> sent = run(filters -> {
            throw new StoreUnavailableException("connection refused", null, false);
        }, List.of(Filter.ALL), new ArrayList<>());
        assertThat(sent).containsExactly("[\"CLOSED\",\"s\",\"error: the database is unavailable; try again shortly\"]");
    }
}
