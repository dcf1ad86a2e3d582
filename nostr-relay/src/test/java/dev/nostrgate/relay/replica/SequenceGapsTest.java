package dev.nostrgate.relay.replica;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceGapsTest {
    private final SequenceGaps gaps = new SequenceGaps();

    @Test
    void theFirstMessageOfAReplicaStartsItsCount() {
        assertThat(gaps.arrived("a", 41)).isZero();
        assertThat(gaps.arrived("a", 42)).isZero();
    }

    @Test
    void aNumberFurtherOnThanTheNextOneCountsTheMessagesBetween() {
        gaps.arrived("a", 1);
        assertThat(gaps.arrived("a", 5)).isEqualTo(3);
        assertThat(gaps.arrived("a", 6)).isZero();
    }

    @Test
    void aRepeatedOrOlderNumberIsToBeIgnored() {
        gaps.arrived("a", 7);
        assertThat(gaps.arrived("a", 7)).isEqualTo(-1);
        assertThat(gaps.arrived("a", 3)).isEqualTo(-1);
        assertThat(gaps.arrived("a", 8)).as("the count went on from 7").isZero();
    }

    @Test
    void eachReplicaIsCountedOnItsOwn() {
        gaps.arrived("a", 1);
        gaps.arrived("b", 10);
        assertThat(gaps.arrived("a", 2)).isZero();
        assertThat(gaps.arrived("b", 12)).isEqualTo(1);
    }

    @Test
    void remembersTheReplicasHeardFromMostRecently() {
        gaps.arrived("old", 1);
        for (int i = 0; i < SequenceGaps.MAX_REPLICAS; i++) {
            gaps.arrived("replica-" + i, 1);
        }
        assertThat(gaps.arrived("old", 9)).as("forgotten: counted from here").isZero();
    }

    @Test
    void aReplicasWordOnItsLastNumberCountsWhatNeverCameAndStartsTheCount() {
        assertThat(gaps.lastSent("a", 0)).as("nothing published yet").isZero();
        assertThat(gaps.arrived("a", 2)).as("number 1 was lost").isEqualTo(1);
        assertThat(gaps.lastSent("a", 2)).isZero();
        assertThat(gaps.lastSent("a", 4)).as("3 and 4 were lost").isEqualTo(2);
        assertThat(gaps.arrived("a", 4)).as("a late copy").isEqualTo(-1);
        assertThat(gaps.arrived("a", 5)).isZero();
    }
}
