package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.schema.Tables.EVENTS;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jooq.impl.DSL;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest stored events, in memory, indexed by id, author, kind and tag: most {@code REQ}s ask for the newest
 * few events of something, and answering those here costs neither a database round trip nor the database's CPU.
 *
 * <p><b>The invariant.</b> Every stored event whose {@code created_at} is above the {@linkplain #floor() floor} is
 * here, and nothing that is not stored. An answer is taken from here only when it is provably the database's
 * answer: the filter found its whole {@code limit} here (every event not here is older than every event here),
 * or its {@code since} is above the floor, or it names ids that are all here. Otherwise the store asks the
 * database. When the size bound is passed the oldest events leave, and the floor rises to their
 * {@code created_at}: events of that second still here leave too, so that the invariant holds for ties.
 *
 * <p><b>Only for a relay that is its database's only writer.</b> The store tells this index of every commit: what
 * it stored and what it removed (replaced, deleted, expired). Another program writing the same database (a
 * second relay, the gateway) would go unseen, so the relay turns this index off when replicas share its database.
 * After a commit whose outcome is unknown, the index is {@linkplain #invalidate() dropped} and loaded again.
 *
 * <p>Thread-safe: queries share a read lock (a query here takes microseconds), commits take the write lock.
 */
public final class RecentEvents {
    private static final Logger log = LoggerFactory.getLogger(RecentEvents.class);
    /** A query here gives up (and asks the database) after looking at this many events. */
    private static final int SCAN_BUDGET = 20_000;
    /** Every stored event, newest first in NIP-01 order. */
    private static final String LOAD = SchemaNames.sql(DSL.select(EVENTS.EVENT_KEY, EVENTS.CREATED_AT, EVENTS.JSON)
            .from(EVENTS).orderBy(EVENTS.CREATED_AT.desc(), EVENTS.EVENT_KEY.asc()));
    /** What one event costs besides its JSON: the entry, its id text, five index nodes, its tag keys. */
    private static final int ENTRY_OVERHEAD = 400;
    private static final int TAG_OVERHEAD = 120;
    /** Keys removed before their event was added are remembered this long: two lanes may commit in either order. */
    private static final long REMOVED_MEMORY_NANOS = 60_000_000_000L;
    /** The floor of an index that holds every stored event. */
    private static final long EVERYTHING = Long.MIN_VALUE;

    /** NIP-01 order, as the database sorts: newest first; on equal created_at, lowest id first. */
    private static final Comparator<Entry> ORDER = Comparator.comparingLong((Entry e) -> e.event.createdAt())
            .reversed().thenComparing(e -> e.event.idHex());

    /** One stored event as held here: what filters look at, and the answer as the store serves it. */
    private record Entry(UUID key, StoredEvent event, String pubkey, int kind, long expiresAt,
                         List<TagRows.TagRow> tags, long size) {
        /** A probe that sorts before every event of second {@code createdAt}. */
        static Entry probe(long createdAt) {
            return new Entry(null, new StoredEvent("", createdAt, new byte[0]), "", 0, 0, List.of(), 0);
        }
    }

    private final long capacityBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final NavigableSet<Entry> all = new TreeSet<>(ORDER);
    private final Map<UUID, Entry> byKey = new HashMap<>();
    private final Map<String, NavigableSet<Entry>> byAuthor = new HashMap<>();
    private final Map<Integer, NavigableSet<Entry>> byKind = new HashMap<>();
    private final Map<TagRows.TagRow, NavigableSet<Entry>> byTag = new HashMap<>();
    private final Map<UUID, Long> removedUnseen = new LinkedHashMap<>();
    private final LongAdder answered = new LongAdder();
    private final LongAdder referred = new LongAdder();
    private long bytes;
    private long floor = EVERYTHING;
    /**
     * False until loaded, while loading, and after {@link #invalidate()}: every query goes to the database then.
     * Volatile so that a query checks it before the lock, and never waits for a load (seconds) to finish.
     */
    private volatile boolean valid;

    /** @param capacityBytes about how much memory the index may use; the oldest events leave past it */
    public RecentEvents(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("the recent-events capacity must be positive, was " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * Fills the index with the newest stored events, up to its capacity, and makes it answer queries. Commits
     * that happen meanwhile are applied after (every change is idempotent), so the result is complete.
     */
    public void load(DataSource database) throws SQLException {
        lock.writeLock().lock();
        try {
            loadLocked(database);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** {@link #load}, unless the index is answering already (two writers may find it invalid at once). */
    void loadIfInvalid(DataSource database) throws SQLException {
        lock.writeLock().lock();
        try {
            if (!valid) {
                loadLocked(database);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void loadLocked(DataSource database) throws SQLException {
        long start = System.nanoTime();
        valid = false;
        clear();
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(LOAD)) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // a cursor: the rows arrive a thousand at a time, not all at once
            select.setFetchSize(1_000);
            long lowest = EVERYTHING;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long createdAt = rows.getLong(2);
                    if (bytes >= capacityBytes) {
                        lowest = createdAt; // the first event not taken: its second is not complete here
                        break;
                    }
                    UUID key = rows.getObject(1, UUID.class);
                    Event event = parse(key, rows.getString(3));
                    if (event == null) {
                        lowest = createdAt; // left to the database, and with it everything as old
                        break;
                    }
                    insert(key, event, rows.getBytes(3));
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(autoCommit);
            }
            if (lowest != EVERYTHING) {
                raiseFloor(lowest);
            }
        }
        valid = true;
        log.info("recent events: {} in memory ({} MB of {} MB), {}; loaded in {} ms", byKey.size(), bytes >> 20,
                capacityBytes >> 20, floor == EVERYTHING ? "every stored event"
                        : "every event newer than created_at " + floor, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Drops everything: the store could not tell what its last commit did. Queries go to the database until the
     * next {@link #load}.
     */
    public void invalidate() {
        lock.writeLock().lock();
        try {
            clear();
            valid = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** True while the index answers queries. */
    public boolean isValid() {
        return valid;
    }

    /**
     * Applies one commit: these events are now stored (in {@code events}) and these keys are not. An event both
     * stored and removed (a replaceable version superseded in its own batch) ends up not here.
     */
    void committed(Collection<Event> stored, Collection<UUID> removed) {
        if (stored.isEmpty() && removed.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (!valid) {
                return;
            }
            long now = System.nanoTime();
            forgetOldRemovals(now);
            Set<UUID> gone = new HashSet<>(removed);
            for (Event event : stored) {
                UUID key = EventKeys.of(event.id());
                if (event.createdAt() > floor && !gone.contains(key) && !byKey.containsKey(key)
                        && removedUnseen.remove(key) == null) {
                    insert(key, event, event.toJson().getBytes(StandardCharsets.UTF_8));
                }
            }
            for (UUID key : removed) {
                Entry entry = byKey.get(key);
                if (entry != null) {
                    unlink(entry);
                } else {
                    // another lane may not have added it yet (a gift wrap deleted by its recipient): it must not
                    // arrive after its removal
                    removedUnseen.remove(key); // to the end: the map stays oldest first
                    removedUnseen.put(key, now);
                }
            }
            evictPastCapacity();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops removals remembered longer than needed: the oldest come first, so it stops at the first young one. */
    private void forgetOldRemovals(long now) {
        var oldest = removedUnseen.values().iterator();
        while (oldest.hasNext() && now - oldest.next() > REMOVED_MEMORY_NANOS) {
            oldest.remove();
        }
    }

    /** These events expired and were deleted. */
    void expired(Collection<UUID> keys) {
        if (keys.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            for (UUID key : keys) {
                Entry entry = byKey.get(key);
                if (entry != null) {
                    unlink(entry);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The filter's answer, if this index provably has all of it: the newest {@code limit} matching events, in
     * NIP-01 order. Empty: ask the database.
     */
    Optional<List<StoredEvent>> answer(Filter filter, int limit, long nowSeconds) {
        Optional<List<StoredEvent>> answer = answerFromMemory(filter, limit, nowSeconds);
        (answer.isPresent() ? answered : referred).increment();
        return answer;
    }

    private Optional<List<StoredEvent>> answerFromMemory(Filter filter, int limit, long nowSeconds) {
        if (!valid) {
            return Optional.empty(); // not waiting for the lock a load holds
        }
        lock.readLock().lock();
        try {
            if (!valid) {
                return Optional.empty();
            }
            Matcher matcher = new Matcher(filter, nowSeconds);
            if (filter.ids().isPresent()) {
                return byIds(filter.ids().get(), matcher, limit);
            }
            List<NavigableSet<Entry>> candidates = smallestCandidates(filter);
            long until = filter.until().orElse(Long.MAX_VALUE);
            long since = filter.since().orElse(Long.MIN_VALUE);
            List<Entry> found = new ArrayList<>();
            Set<UUID> seen = candidates.size() > 1 ? new HashSet<>() : null;
            int scanned = 0;
            for (NavigableSet<Entry> candidate : candidates) {
                int taken = 0;
                for (Entry entry : until == Long.MAX_VALUE ? candidate : candidate.tailSet(Entry.probe(until), true)) {
                    if (entry.event.createdAt() < since || taken == limit) {
                        break;
                    }
                    if (++scanned > SCAN_BUDGET) {
                        return Optional.empty();
                    }
                    if (matcher.matches(entry) && (seen == null || seen.add(entry.key))) {
                        found.add(entry);
                        taken++;
                    }
                }
            }
            if (found.size() < limit && since <= floor && floor != EVERYTHING) {
                return Optional.empty(); // older matches may be in the database only
            }
            if (candidates.size() > 1) {
                found.sort(ORDER);
            }
            return Optional.of(found.subList(0, Math.min(limit, found.size())).stream().map(Entry::event).toList());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The lowest created_at above which every stored event is here ({@link Long#MIN_VALUE}: all are). */
    long floor() {
        lock.readLock().lock();
        try {
            return floor;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Filters answered here so far. */
    public long answered() {
        return answered.sum();
    }

    /** Filters left to the database so far: not all of their answer was here. */
    public long referred() {
        return referred.sum();
    }

    /** How many events are here. */
    public int size() {
        lock.readLock().lock();
        try {
            return byKey.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private Optional<List<StoredEvent>> byIds(Set<String> ids, Matcher matcher, int limit) {
        List<Entry> found = new ArrayList<>();
        for (String id : ids) {
            Entry entry = byKey.get(EventKeys.ofHex(id));
            if (entry == null || !entry.event.idHex().equals(id)) {
                return Optional.empty(); // older than the floor, or not stored: the database knows which
            }
            if (matcher.matches(entry)) {
                found.add(entry);
            }
        }
        found.sort(ORDER);
        return Optional.of(found.subList(0, Math.min(limit, found.size())).stream().map(Entry::event).toList());
    }

    /**
     * The index sets whose union holds every match, choosing the field with the fewest events (tag, author, kind),
     * or every event when the filter names none of them.
     */
    private List<NavigableSet<Entry>> smallestCandidates(Filter filter) {
        List<List<NavigableSet<Entry>>> choices = new ArrayList<>();
        for (Map.Entry<Character, Set<String>> tag : filter.tags().entrySet()) {
            String name = String.valueOf(tag.getKey());
            choices.add(lookup(tag.getValue(), value -> byTag.get(new TagRows.TagRow(name, TagRows.indexForm(value)))));
        }
        filter.authors().ifPresent(authors -> choices.add(lookup(authors, byAuthor::get)));
        filter.kinds().ifPresent(kinds -> choices.add(lookup(kinds, byKind::get)));
        return choices.stream().min(Comparator.comparingLong(RecentEvents::sizeOf)).orElse(List.of(all));
    }

    private static <T> List<NavigableSet<Entry>> lookup(Set<T> values, Function<T, NavigableSet<Entry>> index) {
        List<NavigableSet<Entry>> sets = new ArrayList<>(values.size());
        for (T value : values) {
            NavigableSet<Entry> set = index.apply(value);
            if (set != null) {
                sets.add(set);
            }
        }
        return sets;
    }

    private static long sizeOf(List<NavigableSet<Entry>> sets) {
        long size = 0;
        for (NavigableSet<Entry> set : sets) {
            size += set.size();
        }
        return size;
    }

    /** A filter's conditions, prepared once per query, tested against entries. */
    private static final class Matcher {
        private final Filter filter;
        private final long now;
        private final List<Set<TagRows.TagRow>> tagConditions = new ArrayList<>();

        Matcher(Filter filter, long now) {
            this.filter = filter;
            this.now = now;
            for (Map.Entry<Character, Set<String>> tag : filter.tags().entrySet()) {
                String name = String.valueOf(tag.getKey());
                Set<TagRows.TagRow> rows = new HashSet<>();
                tag.getValue().forEach(value -> rows.add(new TagRows.TagRow(name, TagRows.indexForm(value))));
                tagConditions.add(rows);
            }
        }

        boolean matches(Entry entry) {
            if (entry.expiresAt <= now) {
                return false;
            }
            long createdAt = entry.event.createdAt();
            if ((filter.since().isPresent() && createdAt < filter.since().getAsLong())
                    || (filter.until().isPresent() && createdAt > filter.until().getAsLong())
                    || (filter.authors().isPresent() && !filter.authors().get().contains(entry.pubkey))
                    || (filter.kinds().isPresent() && !filter.kinds().get().contains(entry.kind))
                    || (filter.ids().isPresent() && !filter.ids().get().contains(entry.event.idHex()))) {
                return false;
            }
            for (Set<TagRows.TagRow> wanted : tagConditions) {
                if (!hasAny(entry.tags, wanted)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean hasAny(List<TagRows.TagRow> tags, Set<TagRows.TagRow> wanted) {
            for (TagRows.TagRow tag : tags) {
                if (wanted.contains(tag)) {
                    return true;
                }
            }
            return false;
        }
    }

    private void insert(UUID key, Event event, byte[] json) {
        List<TagRows.TagRow> tags = TagRows.of(event);
        OptionalLong expiration = event.expiration();
        Entry entry = new Entry(key, new StoredEvent(event.id().hex(), event.createdAt(), json),
                event.pubkey().hex(), event.kind(), expiration.isPresent() ? expiration.getAsLong() : Long.MAX_VALUE,
                List.copyOf(tags), json.length + ENTRY_OVERHEAD + (long) TAG_OVERHEAD * tags.size());
        all.add(entry);
        byKey.put(key, entry);
        byAuthor.computeIfAbsent(entry.pubkey, p -> new TreeSet<>(ORDER)).add(entry);
        byKind.computeIfAbsent(entry.kind, k -> new TreeSet<>(ORDER)).add(entry);
        for (TagRows.TagRow tag : tags) {
            byTag.computeIfAbsent(tag, t -> new TreeSet<>(ORDER)).add(entry);
        }
        bytes += entry.size;
    }

    private void unlink(Entry entry) {
        all.remove(entry);
        byKey.remove(entry.key);
        removeFrom(byAuthor, entry.pubkey, entry);
        removeFrom(byKind, entry.kind, entry);
        for (TagRows.TagRow tag : entry.tags) {
            removeFrom(byTag, tag, entry);
        }
        bytes -= entry.size;
    }

    private static <K> void removeFrom(Map<K, NavigableSet<Entry>> index, K key, Entry entry) {
        NavigableSet<Entry> set = index.get(key);
        if (set != null && set.remove(entry) && set.isEmpty()) {
            index.remove(key);
        }
    }

    private void evictPastCapacity() {
        while (bytes > capacityBytes && !all.isEmpty()) {
            raiseFloor(all.last().event.createdAt());
        }
    }

    /** Every event of second {@code createdAt} and older leaves: the index is complete above it. */
    private void raiseFloor(long createdAt) {
        floor = Math.max(floor, createdAt);
        while (!all.isEmpty() && all.last().event.createdAt() <= floor) {
            unlink(all.last());
        }
    }

    private void clear() {
        all.clear();
        byKey.clear();
        byAuthor.clear();
        byKind.clear();
        byTag.clear();
        removedUnseen.clear();
        bytes = 0;
        floor = EVERYTHING;
    }

    private static Event parse(UUID key, String json) {
        try {
            return EventJson.parse(json);
        } catch (InvalidEventException e) {
            log.warn("stored event {} does not parse, left to the database: {}", key, e.getMessage());
            return null;
        }
    }
}
