package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which open subscriptions an event may match, without looking at every subscription (strfry's ReqMonitor keeps
 * the same kind of index). Each filter is filed under the values of its most selective field: its ids, else its
 * authors, else the values of one of its tag conditions, else its kinds; a filter with none of those (only
 * since/until, or nothing) goes to a short match-all list. An event's candidates are the filters filed under its
 * id, its author, its tag values and its kind, plus the match-all list; each candidate is then confirmed with
 * {@link Filter#matches}, so the index only has to be complete, never exact.
 *
 * <p>Not thread-safe: one thread (the monitor) owns it.
 *
 * @param <S> the subscriber (a subscription); compared with {@code equals}
 */
public final class SubscriptionIndex<S> {

    /** One filter of one subscriber, filed under one or more keys. */
    private static final class Entry<S> {
        final Holder<S> holder;
        final Filter filter;

        Entry(Holder<S> holder, Filter filter) {
            this.holder = holder;
            this.filter = filter;
        }
    }

    private static final class Holder<S> {
        final S subscriber;
        final List<Entry<S>> entries = new ArrayList<>();
        /** The event number this subscriber last matched: a subscriber is reported once per event. */
        long matchedEvent = -1;

        Holder(S subscriber) {
            this.subscriber = subscriber;
        }
    }

    private final Map<S, Holder<S>> holders = new HashMap<>();
    private final Map<String, Set<Entry<S>>> byId = new HashMap<>();
    private final Map<String, Set<Entry<S>>> byAuthor = new HashMap<>();
    private final Map<Character, Map<String, Set<Entry<S>>>> byTag = new HashMap<>();
    private final Map<Integer, Set<Entry<S>>> byKind = new HashMap<>();
    private final Set<Entry<S>> matchAll = new HashSet<>();
    private long eventNumber;

    /** Files the subscriber's filters (replacing what was filed for it before). */
    public void add(S subscriber, List<Filter> filters) {
        remove(subscriber);
        Holder<S> holder = new Holder<>(subscriber);
        holders.put(subscriber, holder);
        for (Filter filter : filters) {
            Entry<S> entry = new Entry<>(holder, filter);
            holder.entries.add(entry);
            file(entry, true);
        }
    }

    /** Forgets the subscriber; nothing happens if it is not filed. */
    public void remove(S subscriber) {
        Holder<S> holder = holders.remove(subscriber);
        if (holder != null) {
            for (Entry<S> entry : holder.entries) {
                file(entry, false);
            }
        }
    }

    /** How many subscribers are filed. */
    public int size() {
        return holders.size();
    }

    /** Calls the action once for each subscriber with a filter the event matches. */
    public void forEachMatch(Event event, Consumer<S> action) {
        long number = ++eventNumber;
        visit(byId.get(event.id().hex()), event, number, action);
        visit(byAuthor.get(event.pubkey().hex()), event, number, action);
        if (!byTag.isEmpty()) {
            for (Tag tag : event.tags()) {
                List<String> values = tag.values();
                if (values.size() >= 2 && values.get(0).length() == 1) {
                    Map<String, Set<Entry<S>>> byValue = byTag.get(values.get(0).charAt(0));
                    if (byValue != null) {
                        visit(byValue.get(values.get(1)), event, number, action);
                    }
                }
            }
        }
        visit(byKind.get(event.kind()), event, number, action);
        visit(matchAll, event, number, action);
    }

    /** The subscribers the event matches (for tests and diagnostics). */
    public Set<S> matches(Event event) {
        Set<S> found = new HashSet<>();
        forEachMatch(event, found::add);
        return found;
    }

    private void visit(Set<Entry<S>> entries, Event event, long number, Consumer<S> action) {
        if (entries == null) {
            return;
        }
        for (Entry<S> entry : entries) {
            Holder<S> holder = entry.holder;
            if (holder.matchedEvent != number && entry.filter.matches(event)) {
                holder.matchedEvent = number;
                action.accept(holder.subscriber);
            }
        }
    }

    /** Adds the entry under its keys, or removes it from them. The choice of field depends only on the filter. */
    private void file(Entry<S> entry, boolean add) {
        Filter filter = entry.filter;
        if (filter.ids().isPresent()) {
            for (String id : filter.ids().get()) {
                update(byId, id, entry, add);
            }
        } else if (filter.authors().isPresent()) {
            for (String author : filter.authors().get()) {
                update(byAuthor, author, entry, add);
            }
        } else if (!filter.tags().isEmpty()) {
            Map.Entry<Character, Set<String>> condition = narrowestTag(filter);
            Map<String, Set<Entry<S>>> byValue = byTag.computeIfAbsent(condition.getKey(), k -> new HashMap<>());
            for (String value : condition.getValue()) {
                update(byValue, value, entry, add);
            }
            if (byValue.isEmpty()) {
                byTag.remove(condition.getKey());
            }
        } else if (filter.kinds().isPresent()) {
            for (Integer kind : filter.kinds().get()) {
                update(byKind, kind, entry, add);
            }
        } else if (add) {
            matchAll.add(entry);
        } else {
            matchAll.remove(entry);
        }
    }

    /** The tag condition with the fewest values (ties: the first): fewest keys to file under. */
    private static Map.Entry<Character, Set<String>> narrowestTag(Filter filter) {
        Map.Entry<Character, Set<String>> best = null;
        for (Map.Entry<Character, Set<String>> condition : filter.tags().entrySet()) {
            if (best == null || condition.getValue().size() < best.getValue().size()) {
                best = condition;
            }
        }
        return best;
    }

    private static <K, S> void update(Map<K, Set<Entry<S>>> map, K key, Entry<S> entry, boolean add) {
        if (add) {
            map.computeIfAbsent(key, k -> new HashSet<>()).add(entry);
        } else {
            Set<Entry<S>> entries = map.get(key);
            if (entries != null) {
                entries.remove(entry);
                if (entries.isEmpty()) {
                    map.remove(key);
                }
            }
        }
    }
}
