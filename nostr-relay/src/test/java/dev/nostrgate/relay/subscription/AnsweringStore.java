package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.StoredEvent;
import java.util.List;
import java.util.Optional;
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

    /** The items of the events the filter is answered with. */
    @Override
    public Optional<BlockStorage> negentropyItems(Filter filter, int maxItems, StorageBudget budget) {
        List<StoredEvent> events = answers.apply(List.of(filter));
        if (events.size() > maxItems) {
            return Optional.empty();
        }
        SortedVectorStorage.Builder items = SortedVectorStorage.builder();
        events.forEach(event -> items.add(event.createdAt(), Hex.decode(event.idHex())));
        return Optional.of(BlockStorage.copyOf(items.build(), budget));
    }

    @Override
    public int deleteExpired(long nowSeconds, int max) {
        return 0;
    }
}
