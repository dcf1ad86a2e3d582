package dev.nostrgate.core.client;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An open {@code REQ} on a {@link RelayClient}: made by {@link RelayClient#subscribe}, ended by {@link #close()}.
 * It outlives connections: after a reconnect the client asks again for what this subscription has not seen yet.
 *
 * <p>The fields below the handle's own are the client's bookkeeping and are touched only on the client's thread.
 */
public final class Subscription implements AutoCloseable {
    private final RelayClient client;
    private final String id;
    private final List<Filter> filters;
    private final SubscriptionListener listener;
    private volatile boolean open = true;

    // client thread only
    private long newestDelivered = -1;
    private final Set<EventId> deliveredAtNewest = new HashSet<>();
    private long resumedSince = -1;
    private Set<EventId> deliveredAtResume = Set.of();
    private boolean eoseDelivered;
    final AuthRetry auth = new AuthRetry();

    Subscription(RelayClient client, String id, List<Filter> filters, SubscriptionListener listener) {
        this.client = client;
        this.id = id;
        this.filters = List.copyOf(filters);
        this.listener = listener;
    }

    /** The subscription id sent to the relay. */
    public String id() {
        return id;
    }

    /** The filters as given (after a reconnect they are sent with a later {@code since}). */
    public List<Filter> filters() {
        return filters;
    }

    /** False once closed by {@link #close()}, by the relay, or with the client. */
    public boolean isOpen() {
        return open;
    }

    /** Ends the subscription: sends {@code CLOSE} if connected, and delivers nothing more. Idempotent. */
    @Override
    public void close() {
        if (open) {
            open = false;
            client.unsubscribe(this);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + filters + (open ? "" : " closed") + "]";
    }

    SubscriptionListener listener() {
        return listener;
    }

    void ended() {
        open = false;
    }

    /**
     * Records an event about to be delivered; false if it was delivered already. Two boundaries are remembered:
     * the ids delivered at the newest {@code created_at} so far, and those delivered at the {@code since} of the
     * last {@code REQ} sent, which the relay returns again (stored events arrive newest first, so the second set
     * must outlive newer deliveries). Other duplicates are not looked for.
     */
    boolean firstDelivery(Event event) {
        long createdAt = event.createdAt();
        if (createdAt == resumedSince && deliveredAtResume.contains(event.id())) {
            return false;
        }
        if (createdAt > newestDelivered) {
            newestDelivered = createdAt;
            deliveredAtNewest.clear();
        } else if (createdAt < newestDelivered) {
            return true;
        }
        return deliveredAtNewest.add(event.id());
    }

    /** True the first time the relay says {@code EOSE}. */
    boolean firstEose() {
        boolean first = !eoseDelivered;
        eoseDelivered = true;
        return first;
    }

    /**
     * The filters for the next {@code REQ}: as given until an event was delivered; then each with {@code since}
     * raised to the newest {@code created_at} delivered (inclusive: that second's events already delivered are
     * recognised by id and skipped) and no {@code limit}, since the gap must be filled whole, not cut to the newest
     * few.
     */
    List<Filter> filtersToSend() {
        if (newestDelivered < 0) {
            return filters;
        }
        resumedSince = newestDelivered;
        deliveredAtResume = Set.copyOf(deliveredAtNewest);
        return filters.stream()
                .map(f -> f.since().isPresent() && f.since().getAsLong() >= newestDelivered
                        ? f
                        : f.toBuilder().since(newestDelivered).noLimit().build())
                .toList();
    }
}
