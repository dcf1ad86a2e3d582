package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.BudgetExceededException;
import dev.nostrgate.core.negentropy.StorageBudget;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where events live: the relay and the gateway both write and read through this. Events given to it must already
 * be verified (id and signature); the store applies the NIP-01 / NIP-09 / NIP-40 / NIP-62 write rules.
 */
public interface EventStore {

    /**
     * Writes the events in one transaction, applying the rules as if they had arrived one by one in list order.
     *
     * @return one outcome per event, in list order
     * @throws StoreUnavailableException if the database cannot be reached or the transaction fails; nothing of
     *     the batch is then stored (unless the failure is {@link FailureClass#AMBIGUOUS}), and it may be retried as
     *     a whole. {@link ResilientSave} does that, and finds the bad event of a batch that fails for good.
     */
    List<SaveOutcome> saveAll(List<Event> events);

    /**
     * Which of these events the store took: those it serves now, and replaceable versions it took and has replaced
     * since. After a commit whose outcome is unknown ({@link FailureClass#AMBIGUOUS}), what it took was stored.
     *
     * @throws StoreUnavailableException if the database fails
     */
    Set<EventId> stored(List<EventId> ids);

    /**
     * The stored events matching any of the filters, each once, newest first (ties: lowest id first). Each
     * filter's {@code limit} applies to its own matches, capped at the configured maximum; a filter without one
     * gets the maximum. Filters with a NIP-50 {@code search} match nothing here (search is not supported).
     *
     * @throws StoreUnavailableException if the database fails or the query runs over its time budget
     */
    List<StoredEvent> query(List<Filter> filters);

    /** NIP-45: how many stored events match any of the filters ({@code limit} ignored). */
    long count(List<Filter> filters);

    /**
     * NIP-77: the (created_at, id) of every stored event the filter matches ({@code limit} ignored), in blocks for
     * negentropy within {@code budget}; empty if more than {@code maxItems} match. Only those two columns are read,
     * in order, through a cursor: never the events themselves, and never all the items in the heap unless the
     * budget has room for them. The caller closes the storage.
     *
     * @throws StoreUnavailableException if the database fails or the scan runs over its time budget
     * @throws BudgetExceededException if the budget has neither heap nor disk left for the items
     */
    Optional<BlockStorage> negentropyItems(Filter filter, int maxItems, StorageBudget budget);

    /** Deletes up to {@code max} events whose NIP-40 expiration has passed; returns how many. */
    int deleteExpired(long nowSeconds, int max);
}
