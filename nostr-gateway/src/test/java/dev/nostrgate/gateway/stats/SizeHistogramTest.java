package dev.nostrgate.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizeHistogramTest {

    private static SizeHistogram of(int... sizes) {
        long[] counts = new long[RelayCounters.SIZE_CLASSES];
        for (int size : sizes) {
            counts[RelayCounters.sizeClass(size)]++;
        }
        return SizeHistogram.of(counts);
    }

    @Test
    void classBoundsMatchTheCountersSizeClasses() {
        for (int i = 0; i < RelayCounters.SIZE_CLASSES; i++) {
            assertThat(RelayCounters.sizeClass((int) SizeHistogram.lowerBound(i))).isEqualTo(i);
            if (i < RelayCounters.SIZE_CLASSES - 1) {
                assertThat(RelayCounters.sizeClass((int) SizeHistogram.upperBound(i) - 1)).isEqualTo(i);
            }
        }
    }

    @Test
    void medianFallsInTheClassOfTheMiddleEvent() {
        SizeHistogram sizes = of(300, 400, 600, 700, 800, 900, 5_000);
        long median = sizes.median(); // the middle event is 700 bytes: class [512, 1024)
        assertThat(median).isBetween(512L, 1023L);
    }

    @Test
    void medianOfOneClassIsInsideIt() {
        assertThat(of(700, 700, 700).median()).isBetween(512L, 1023L);
        assertThat(of(100).median()).isBetween(0L, 127L);
        assertThat(of(10_000_000).median()).isGreaterThanOrEqualTo(1L << 21);
    }

    @Test
    void medianOfNothingIsZero() {
        assertThat(SizeHistogram.EMPTY.median()).isZero();
    }

    @Test
    void addsClassByClassAndKeepsTheMedianOfTheWhole() {
        SizeHistogram small = of(300, 300, 300);
        SizeHistogram large = of(3_000, 3_000, 3_000, 3_000);
        SizeHistogram both = small.plus(large);
        assertThat(both.total()).isEqualTo(7);
        assertThat(both).isEqualTo(of(300, 300, 300, 3_000, 3_000, 3_000, 3_000));
        assertThat(both.median()).isBetween(2_048L, 4_095L);
    }

    @Test
    void padsAShortArrayAndRefusesALongOrNegativeOne() {
        assertThat(SizeHistogram.of(new long[] {1, 2}).count(1)).isEqualTo(2);
        assertThat(SizeHistogram.of(new long[] {1, 2}).total()).isEqualTo(3);
        assertThatThrownBy(() -> SizeHistogram.of(new long[17])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SizeHistogram.of(new long[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }
}
