package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Kinds;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes one batch of events on one connection, applying every NIP-01 / NIP-09 / NIP-40 rule as if the events had
 * arrived one by one in batch order: the one place the write rules are put together.
 *
 * <p>Each event first meets the {@link ArrivalRules} (once per batch, not ephemeral, not expired). The rest is cut
 * into segments at each deletion request and request to vanish, so a request sees the events before it and the
 * events after it see the request; segments are rare, so most batches are a handful of array-valued statements whatever their size. In a
 * segment, events that must be judged before they are inserted (replaceable, addressable, gift wraps) are looked up
 * ({@link StoredOrDeleted}), replaceable and addressable ones are decided against the current heads
 * ({@link ReplaceableHeads}), then every event to store is inserted by one statement ({@link EventInsert}), and a
 * deletion request or request to vanish that was stored is applied ({@link Deletions}, {@link VanishRequests}).
 *
 * <p>A batch of regular events with few tags, what clients mostly send, is thus exactly one statement
 * ({@link #fitsOneStatement}): the caller may run it outside a transaction, where its commit costs no round trip of
 * its own. Any other batch needs the caller's transaction.
 */
final class BatchWrite {
    private final Connection connection;
    private final Database.Vendor vendor;
    private final long now;
    /** What this batch changed in {@code events}, for {@link RecentEvents}: valid once the transaction commits. */
    private final List<Event> inserted = new ArrayList<>();
    private final RemovedEvents removed;
    private final ReplaceableHeads heads;
    private final Deletions deletions;
    private final VanishScope vanishScope;
    private final VanishRequests vanishing;

    /**
     * @param vendor the database on the other end of the connection: how many tag rows are written differs
     * @param vanishScope which NIP-62 requests to vanish this relay acts on
     */
    BatchWrite(Connection connection, Database.Vendor vendor, long nowSeconds, VanishScope vanishScope) {
        this.connection = connection;
        this.vendor = vendor;
        this.now = nowSeconds;
        this.removed = new RemovedEvents(connection);
        this.heads = new ReplaceableHeads(connection, nowSeconds, removed);
        this.deletions = new Deletions(connection, removed);
        this.vanishScope = vanishScope;
        this.vanishing = new VanishRequests(connection, vendor, removed);
    }

    /** The events this batch inserted into {@code events} (not those it stored in history only). */
    List<Event> inserted() {
        return inserted;
    }

    /** The keys of the events this batch removed from {@code events}: replaced or deleted. */
    List<UUID> removed() {
        return removed.keys();
    }

    /**
     * True if {@link #apply} writes these events with one statement, which may then run outside a transaction:
     * regular events only (no head to decide, no deletion or request to vanish to apply, no gift wrap whose
     * recipient may have deleted it), and tag rows few enough for one {@code INSERT} rather than {@code COPY}.
     */
    static boolean fitsOneStatement(List<Event> events) {
        for (Event event : events) {
            if (judgedBeforeInsert(event) || cutsSegment(event)) {
                return false;
            }
        }
        return EventInsert.tagRowsFit(events);
    }

    /** Outcomes in the order of the events. */
    List<SaveOutcome> apply(List<Event> events) throws SQLException {
        if (events.stream().anyMatch(vanishScope::names)) {
            vanishing.lockWrites(); // first, before this transaction reads anything
        }
        SaveOutcome[] outcomes = new SaveOutcome[events.size()];
        ArrivalRules arrival = new ArrivalRules(now);
        List<Integer> segment = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            outcomes[i] = arrival.judge(event).orElse(null);
            if (outcomes[i] != null) {
                continue;
            }
            if (cutsSegment(event)) {
                writeSegment(events, segment, outcomes);
                segment.clear();
                writeSegment(events, List.of(i), outcomes);
            } else {
                segment.add(i);
            }
        }
        writeSegment(events, segment, outcomes);
        return Arrays.asList(outcomes);
    }

    /** Deletion requests and requests to vanish: the events before them are written first, the events after see them. */
    private static boolean cutsSegment(Event event) {
        return event.kind() == Kinds.DELETION || event.kind() == Kinds.REQUEST_TO_VANISH;
    }

    /** Events whose fate depends on more than their own key: looked up before anything is inserted. */
    private static boolean judgedBeforeInsert(Event event) {
        return event.category() != KindCategory.REGULAR || event.kind() == Kinds.GIFT_WRAP;
    }

    private void writeSegment(List<Event> events, List<Integer> indexes, SaveOutcome[] outcomes) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        Map<UUID, Integer> judgedFirst = new LinkedHashMap<>();
        for (int i : indexes) {
            if (judgedBeforeInsert(events.get(i))) {
                judgedFirst.put(EventKeys.of(events.get(i).id()), i);
            }
        }
        if (!judgedFirst.isEmpty()) {
            StoredOrDeleted.judge(connection, events, judgedFirst, outcomes);
        }
        List<Integer> candidates = indexes.stream().filter(i -> outcomes[i] == null).toList();
        Set<Integer> supersededInBatch = heads.resolve(events, candidates, outcomes);

        List<Integer> toInsert = new ArrayList<>();
        for (int i : candidates) {
            if (outcomes[i] == null) {
                if (supersededInBatch.contains(i)) {
                    outcomes[i] = SaveOutcome.stored(events.get(i).id()); // in history only
                } else {
                    toInsert.add(i);
                }
            }
        }
        Map<UUID, EventInsert.Written> written = EventInsert.insert(connection, vendor,
                toInsert.stream().map(events::get).toList());
        for (int i : toInsert) {
            Event event = events.get(i);
            EventInsert.Written fate = written.get(EventKeys.of(event.id()));
            if (fate == null) {
                outcomes[i] = SaveOutcome.duplicate(event.id()); // stored before, or another writer was first
                continue;
            }
            switch (fate) {
                case STORED -> {
                    outcomes[i] = SaveOutcome.stored(event.id());
                    inserted.add(event);
                    if (event.kind() == Kinds.DELETION) {
                        deletions.apply(event);
                    } else if (vanishScope.names(event)) {
                        vanishing.apply(event);
                    }
                }
                case DELETED -> outcomes[i] = SaveOutcome.rejected(event.id(), Deletions.DELETED);
                case VANISHED -> outcomes[i] = SaveOutcome.rejected(event.id(), VanishRequests.VANISHED);
            }
        }
    }
}
