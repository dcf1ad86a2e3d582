package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.StoredEvent;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** A store whose queries answer as told; it takes no writes. */
record AnsweringStore(Function<List<Filter>, List<StoredEvent>> answers) implements EventStore {
    @Override
    public List<SaveOutcome> saveAll(List<Event> events) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<EventId> stored(List<EventId> ids) {
        return Set.of();
    }

    @Override
    public List<StoredEvent> query(List<Filter> filters) {
        return answers.apply(filters);
    }

    @Override
    public long count(List<Filter> filters) {
        return 0;
    }

    @Override
    public int deleteExpired(long nowSeconds, int max) {
        return 0;
    }
}
