package dev.nostrgate.core.filter;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code REQ} returns from stored events, computed the plain way: every filter is matched against every
 * event. This is the reference a real store's queries are checked against, as strfry checks its filter engine
 * against {@code dumbFilter.pl}; it is not meant for large collections.
 *
 * <p>NIP-01 order: newest {@code created_at} first, ties by lowest id first. Each filter's {@code limit} keeps the
 * first events of its own matches in that order; the union of the filters' results holds each event once, in the
 * same order.
 */
public final class FilterQuery {
    /** NIP-01 result order: {@code created_at} descending, then id ascending. */
    public static final Comparator<Event> NEWEST_FIRST =
            Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id);

    private FilterQuery() {
    }

    /** The events a {@code REQ} with these filters returns before {@code EOSE}, in NIP-01 order. */
    public static List<Event> apply(List<Filter> filters, Collection<Event> events) {
        Map<EventId, Event> distinct = new LinkedHashMap<>();
        for (Event event : events) {
            distinct.putIfAbsent(event.id(), event);
        }
        List<Event> ordered = new ArrayList<>(distinct.values());
        ordered.sort(NEWEST_FIRST);
        Map<EventId, Event> union = new LinkedHashMap<>();
        for (Filter filter : filters) {
            int left = filter.limit().orElse(Integer.MAX_VALUE);
            for (int i = 0; i < ordered.size() && left > 0; i++) {
                Event event = ordered.get(i);
                if (filter.matches(event)) {
                    union.putIfAbsent(event.id(), event);
                    left--;
                }
            }
        }
        List<Event> result = new ArrayList<>(union.values());
        result.sort(NEWEST_FIRST);
        return result;
    }
}
