package dev.nostrgate.core.filter;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A NIP-01 filter: which events a {@code REQ} asks for. Immutable, and valid by construction.
 *
 * <p>A field that is absent does not constrain; a field that is present constrains even when empty, so
 * {@code {"ids":[]}} matches nothing (as nostr-tools' {@code matchFilter} decides). Hence {@link Optional} for the
 * lists and, for tag conditions, the difference between a letter missing from {@link #tags()} and a letter mapped to
 * an empty set.
 *
 * <p>Sets keep the order they were given in, so a filter is written back as it was read; equality ignores order.
 * Read and write the JSON form with {@link FilterJson}; build one with {@link #builder()}.
 *
 * @param ids event ids, 64 lowercase hex characters each (exact match, no prefixes)
 * @param authors pubkeys, 64 lowercase hex characters each
 * @param kinds kinds, 0–65535 each
 * @param tags single-letter tag conditions ({@code "#e"} is {@code 'e'}): an event matches a condition if one of its
 *     tags has that name and its second element in the set. Letters are case-sensitive.
 * @param since lowest {@code created_at}, inclusive, not negative
 * @param until highest {@code created_at}, inclusive, not negative
 * @param limit how many of the newest stored events to return at most; not negative. Does not affect
 *     {@link #matches}.
 * @param search a NIP-50 search query, carried as it is; {@link #matches} does not interpret it
 */
public record Filter(
        Optional<Set<String>> ids,
        Optional<Set<String>> authors,
        Optional<Set<Integer>> kinds,
        Map<Character, Set<String>> tags,
        OptionalLong since,
        OptionalLong until,
        OptionalInt limit,
        Optional<String> search) {

    /** The filter with no condition: matches every event. */
    public static final Filter ALL = builder().build();

    public Filter {
        if (ids == null || authors == null || kinds == null || tags == null || since == null || until == null
                || limit == null || search == null) {
            throw new IllegalArgumentException("filter fields must not be null (use Optional.empty() for absent)");
        }
        ids = ids.map(values -> hexSet(values, "ids"));
        authors = authors.map(values -> hexSet(values, "authors"));
        kinds = kinds.map(Filter::kindSet);
        tags = tagMap(tags);
        checkNotNegative(since, "since");
        checkNotNegative(until, "until");
        if (limit.isPresent() && limit.getAsInt() < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit.getAsInt());
        }
    }

    /** A builder with no condition set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this filter's conditions, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.ids = ids;
        builder.authors = authors;
        builder.kinds = kinds;
        builder.tags.putAll(tags);
        builder.since = since;
        builder.until = until;
        builder.limit = limit;
        builder.search = search;
        return builder;
    }

    /**
     * True if the event satisfies every condition of this filter (NIP-01): within a field any value may match, and
     * every present field must match. {@link #limit()} and {@link #search()} are not considered.
     */
    public boolean matches(Event event) {
        if (ids.isPresent() && !ids.get().contains(event.id().hex())) {
            return false;
        }
        if (authors.isPresent() && !authors.get().contains(event.pubkey().hex())) {
            return false;
        }
        if (kinds.isPresent() && !kinds.get().contains(event.kind())) {
            return false;
        }
        if (since.isPresent() && event.createdAt() < since.getAsLong()) {
            return false;
        }
        if (until.isPresent() && event.createdAt() > until.getAsLong()) {
            return false;
        }
        for (Map.Entry<Character, Set<String>> condition : tags.entrySet()) {
            if (!hasTag(event, condition.getKey(), condition.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The JSON form, as {@link FilterJson#write} writes it: readable in logs and test failures. */
    @Override
    public String toString() {
        return FilterJson.write(this);
    }

    /** True if a tag of the event is named by the letter and its value (second element) is one of the values. */
    private static boolean hasTag(Event event, char letter, Set<String> values) {
        for (Tag tag : event.tags()) {
            List<String> elements = tag.values();
            if (elements.size() >= 2 && elements.get(0).length() == 1 && elements.get(0).charAt(0) == letter
                    && values.contains(elements.get(1))) {
                return true;
            }
        }
        return false;
    }

    /** True if a filter key names a tag condition: {@code #} and one ASCII letter. */
    static boolean isTagLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static Set<String> hexSet(Set<String> values, String field) {
        for (String value : values) {
            if (!Hex.isLowercaseHex(value, 64)) {
                throw new IllegalArgumentException(field + " must be 64 lowercase hex characters each, had "
                        + (value == null ? "null" : "\"" + value + "\""));
            }
        }
        return frozen(values);
    }

    private static Set<Integer> kindSet(Set<Integer> values) {
        for (Integer kind : values) {
            if (kind == null || kind < 0 || kind > 65_535) {
                throw new IllegalArgumentException("kinds must be 0..65535 each, had " + kind);
            }
        }
        return frozen(values);
    }

    private static Map<Character, Set<String>> tagMap(Map<Character, Set<String>> tags) {
        Map<Character, Set<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<Character, Set<String>> entry : tags.entrySet()) {
            Character letter = entry.getKey();
            if (letter == null || !isTagLetter(letter)) {
                throw new IllegalArgumentException("a tag condition is named by one ASCII letter, was " + letter);
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("tag condition #" + letter + " must be a set of strings");
            }
            copy.put(letter, frozen(entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static <T> Set<T> frozen(Set<T> values) {
        for (T value : values) { // not values.contains(null): Set.of(...) throws on that
            if (value == null) {
                throw new IllegalArgumentException("filter values must not be null");
            }
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    private static void checkNotNegative(OptionalLong value, String field) {
        if (value.isPresent() && value.getAsLong() < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value.getAsLong());
        }
    }

    /**
     * Builds a {@link Filter}. Each setter replaces what was set before for its field; {@code ids()} with no
     * argument sets a present, empty list (which matches nothing).
     */
    public static final class Builder {
        private Optional<Set<String>> ids = Optional.empty();
        private Optional<Set<String>> authors = Optional.empty();
        private Optional<Set<Integer>> kinds = Optional.empty();
        private final Map<Character, Set<String>> tags = new LinkedHashMap<>();
        private OptionalLong since = OptionalLong.empty();
        private OptionalLong until = OptionalLong.empty();
        private OptionalInt limit = OptionalInt.empty();
        private Optional<String> search = Optional.empty();

        private Builder() {
        }

        /** Event ids, 64 lowercase hex characters each. */
        public Builder ids(String... ids) {
            return ids(Arrays.asList(ids));
        }

        public Builder ids(Collection<String> ids) {
            this.ids = Optional.of(new LinkedHashSet<>(ids));
            return this;
        }

        /** Author pubkeys, 64 lowercase hex characters each. */
        public Builder authors(String... authors) {
            return authors(Arrays.asList(authors));
        }

        public Builder authors(Collection<String> authors) {
            this.authors = Optional.of(new LinkedHashSet<>(authors));
            return this;
        }

        /** Kinds, 0–65535 each. */
        public Builder kinds(int... kinds) {
            Set<Integer> set = new LinkedHashSet<>();
            for (int kind : kinds) {
                set.add(kind);
            }
            this.kinds = Optional.of(set);
            return this;
        }

        public Builder kinds(Collection<Integer> kinds) {
            this.kinds = Optional.of(new LinkedHashSet<>(kinds));
            return this;
        }

        /** The condition {@code "#<letter>": [values]}. */
        public Builder tag(char letter, String... values) {
            return tag(letter, Arrays.asList(values));
        }

        public Builder tag(char letter, Collection<String> values) {
            tags.put(letter, new LinkedHashSet<>(values));
            return this;
        }

        public Builder since(long since) {
            this.since = OptionalLong.of(since);
            return this;
        }

        public Builder until(long until) {
            this.until = OptionalLong.of(until);
            return this;
        }

        public Builder limit(int limit) {
            this.limit = OptionalInt.of(limit);
            return this;
        }

        public Builder search(String search) {
            this.search = Optional.of(search);
            return this;
        }

        /** Removes the limit (a derived filter for live events, say). */
        public Builder noLimit() {
            this.limit = OptionalInt.empty();
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalArgumentException if a value is out of NIP-01 (a malformed id, a kind over 65535, ...)
         */
        public Filter build() {
            return new Filter(ids, authors, kinds, tags, since, until, limit, search);
        }
    }
}
