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
 * It may deliver an event again, never skips one.
 *
 * <p>Where it resumes: relays send a {@code REQ}'s stored events newest first, then {@code EOSE}, then live events
 * (roughly oldest to newest). So the newest {@code created_at} delivered says what was seen only once the stored
 * part is over: before that, the older stored events have not come yet. The resume point moves to the newest
 * delivered only after the {@code EOSE} of the {@code REQ} last sent; a connection lost before it is followed by
 * the same {@code REQ} again (the filters as given, if no stored part was ever complete), and the stored events
 * already delivered from it come again, except those created in the newest second delivered or in the second of
 * its {@code since}, which are recognised by id.
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
    /** The since of the REQ last sent, -1 for the filters as given. */
    private long resumedSince = -1;
    private final Set<EventId> deliveredAtResume = new HashSet<>();
    private boolean reqSent;
    /** A REQ was sent and its EOSE has not come: its stored part is not complete. */
    private boolean awaitingEose;
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

    /** The filters as given (after a reconnect they may be sent with a later {@code since}). */
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
        if (createdAt == resumedSince && !deliveredAtResume.add(event.id())) {
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

    /**
     * The relay said {@code EOSE}: the stored part of the {@code REQ} last sent is complete, and the resume point
     * may move on. False for an {@code EOSE} heard already, or before any {@code REQ} was sent.
     */
    boolean storedPartComplete() {
        boolean awaited = awaitingEose;
        awaitingEose = false;
        return awaited;
    }

    /** True the first time a stored part is complete: {@link SubscriptionListener#onEose}, not onEoseAgain. */
    boolean firstEose() {
        boolean first = !eoseDelivered;
        eoseDelivered = true;
        return first;
    }

    /**
     * The filters for the next {@code REQ}. While the stored part of the {@code REQ} last sent is not complete,
     * the same filters again: its older stored events may not have come. Else as given until an event was
     * delivered; then each with {@code since} raised to the newest {@code created_at} delivered (inclusive: that
     * second's events already delivered are recognised by id and skipped) and no {@code limit}, since the gap must
     * be filled whole, not cut to the newest few.
     */
    List<Filter> filtersToSend() {
        long since = nextSince();
        if (since < 0) {
            return filters;
        }
        return filters.stream()
                .map(f -> f.since().isPresent() && f.since().getAsLong() >= since
                        ? f
                        : f.toBuilder().since(since).noLimit().build())
                .toList();
    }

    /**
     * Records that a {@code REQ} with {@link #filtersToSend()} went out; true if one went out before, so that
     * stored events come again ({@link SubscriptionListener#onResubscribed}).
     */
    boolean reqSent() {
        long since = nextSince();
        if (since != resumedSince) { // the resume point moves on
            resumedSince = since;
            deliveredAtResume.clear();
            deliveredAtResume.addAll(deliveredAtNewest);
        }
        boolean again = reqSent;
        reqSent = true;
        awaitingEose = true;
        return again;
    }

    /** The since of the next REQ: the last one's while its stored part is incomplete, else the newest delivered. */
    private long nextSince() {
        return awaitingEose ? resumedSince : newestDelivered;
    }
}
