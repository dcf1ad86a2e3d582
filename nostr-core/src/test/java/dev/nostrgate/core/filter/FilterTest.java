package dev.nostrgate.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterTest {
    static final String ID = "a".repeat(64);
    static final String OTHER_ID = "b".repeat(64);
    static final String ALICE = "1".repeat(64);
    static final String BOB = "2".repeat(64);

    static Event event(String id, String pubkey, long createdAt, int kind, Tag... tags) {
        return new Event(new EventId(id), new PubKey(pubkey), createdAt, kind, List.of(tags), "", "0".repeat(128));
    }

    private final Event note = event(ID, ALICE, 1_000, 1, Tag.of("e", OTHER_ID, "wss://relay", "reply"),
            Tag.of("t", "nostr"), Tag.of("T", "upper"), Tag.of("p"), Tag.of("emoji", "x"));

    @Test
    void theEmptyFilterMatchesEverything() {
        assertThat(Filter.ALL.matches(note)).isTrue();
        assertThat(Filter.builder().build()).isEqualTo(Filter.ALL);
    }

    @Test
    void idsAuthorsAndKindsMatchAnyOfTheirValues() {
        assertThat(Filter.builder().ids(OTHER_ID, ID).build().matches(note)).isTrue();
        assertThat(Filter.builder().ids(OTHER_ID).build().matches(note)).isFalse();
        assertThat(Filter.builder().authors(BOB, ALICE).build().matches(note)).isTrue();
        assertThat(Filter.builder().authors(BOB).build().matches(note)).isFalse();
        assertThat(Filter.builder().kinds(7, 1).build().matches(note)).isTrue();
        assertThat(Filter.builder().kinds(7).build().matches(note)).isFalse();
    }

    @Test
    void everyPresentFieldMustMatch() {
        assertThat(Filter.builder().authors(ALICE).kinds(1).tag('t', "nostr").build().matches(note)).isTrue();
        assertThat(Filter.builder().authors(ALICE).kinds(1).tag('t', "bitcoin").build().matches(note)).isFalse();
        assertThat(Filter.builder().authors(ALICE).kinds(7).build().matches(note)).isFalse();
    }

    @Test
    void anEmptyListIsPresentAndMatchesNothing() {
        assertThat(Filter.builder().ids().build().matches(note)).isFalse();
        assertThat(Filter.builder().authors().build().matches(note)).isFalse();
        assertThat(Filter.builder().kinds().build().matches(note)).isFalse();
        assertThat(Filter.builder().tag('t').build().matches(note)).isFalse();
        assertThat(Filter.builder().ids().build()).isNotEqualTo(Filter.ALL);
    }

    @Test
    void sinceAndUntilAreInclusive() {
        assertThat(Filter.builder().since(1_000).until(1_000).build().matches(note)).isTrue();
        assertThat(Filter.builder().since(1_001).build().matches(note)).isFalse();
        assertThat(Filter.builder().until(999).build().matches(note)).isFalse();
        assertThat(Filter.builder().since(1_001).until(999).build().matches(note)).isFalse();
    }

    @Test
    void untilZeroMatchesOnlyEventsAtTheEpoch() {
        // NIP-01 literally; nostr-tools' matchFilter ignores a falsy until, and would match everything
        assertThat(Filter.builder().until(0).build().matches(note)).isFalse();
        assertThat(Filter.builder().until(0).build().matches(event(ID, ALICE, 0, 1))).isTrue();
    }

    @Test
    void aTagConditionMatchesTheSecondElementOfATagWithThatSingleLetterName() {
        assertThat(Filter.builder().tag('e', OTHER_ID).build().matches(note)).isTrue();
        assertThat(Filter.builder().tag('e', "wss://relay").build().matches(note)).isFalse(); // third element
        assertThat(Filter.builder().tag('e', "reply").build().matches(note)).isFalse();
        assertThat(Filter.builder().tag('t', "Nostr").build().matches(note)).isFalse(); // case-sensitive value
        assertThat(Filter.builder().tag('T', "upper").build().matches(note)).isTrue();
        assertThat(Filter.builder().tag('t', "upper").build().matches(note)).isFalse(); // case-sensitive name
        assertThat(Filter.builder().tag('p', "").build().matches(note)).isFalse(); // ["p"] has no value
        assertThat(Filter.builder().tag('x', "x").build().matches(note)).isFalse();
    }

    @Test
    void severalTagConditionsMustAllMatch() {
        assertThat(Filter.builder().tag('e', OTHER_ID).tag('t', "nostr").build().matches(note)).isTrue();
        assertThat(Filter.builder().tag('e', OTHER_ID).tag('t', "other").build().matches(note)).isFalse();
    }

    @Test
    void anEmptyTagValueIsAValueLikeAnyOther() {
        Event withEmpty = event(ID, ALICE, 1, 1, Tag.of("d", ""));
        assertThat(Filter.builder().tag('d', "").build().matches(withEmpty)).isTrue();
    }

    @Test
    void limitAndSearchDoNotAffectMatching() {
        assertThat(Filter.builder().limit(0).build().matches(note)).isTrue();
        assertThat(Filter.builder().search("nothing like it").build().matches(note)).isTrue();
    }

    @Test
    void isImmutableAndEqualRegardlessOfOrder() {
        Filter filter = Filter.builder().ids(ID, OTHER_ID).kinds(1, 7).tag('e', "x", "y").build();
        assertThat(filter).isEqualTo(Filter.builder().ids(OTHER_ID, ID).kinds(7, 1).tag('e', "y", "x").build());
        assertThatThrownBy(() -> filter.ids().orElseThrow().add(ALICE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> filter.tags().put('p', Set.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> filter.tags().get('e').clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsTheOrderValuesWereGivenIn() {
        Filter filter = Filter.builder().ids(OTHER_ID, ID).kinds(7, 1, 3).build();
        assertThat(filter.ids().orElseThrow()).containsExactly(OTHER_ID, ID);
        assertThat(filter.kinds().orElseThrow()).containsExactly(7, 1, 3);
    }

    @Test
    void toBuilderDerivesAChangedCopy() {
        Filter filter = Filter.builder().authors(ALICE).kinds(1).tag('t', "nostr").limit(10).build();

        Filter live = filter.toBuilder().noLimit().since(5).build();

        assertThat(live).isEqualTo(Filter.builder().authors(ALICE).kinds(1).tag('t', "nostr").since(5).build());
        assertThat(filter.limit()).hasValue(10);
    }

    @Test
    void printsAsItsJson() {
        assertThat(Filter.builder().kinds(1).limit(2).build()).hasToString("{\"kinds\":[1],\"limit\":2}");
    }

    @Test
    void cannotHoldAValueOutsideNip01() {
        assertThatThrownBy(() -> Filter.builder().ids("A".repeat(64)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids");
        assertThatThrownBy(() -> Filter.builder().ids("abc").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().authors(ID.substring(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authors");
        assertThatThrownBy(() -> Filter.builder().kinds(65_536).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().kinds(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().tag('1', "x").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().tag('é', "x").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().since(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().until(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Filter.builder().limit(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Filter(Optional.empty(), Optional.empty(), Optional.empty(), null,
                OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Filter(Optional.of(Set.of(ID)), Optional.empty(), Optional.empty(),
                Map.of('e', Set.of("x")), OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
