package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTest {

    @Test
    void percentilesAreInMillisecondsAndEmptyIsAllZero() {
        Latency latency = new Latency();
        assertThat(latency.summary().p99()).isZero();
        for (int ms = 1; ms <= 100; ms++) {
            latency.recordNanos(ms * 1_000_000L);
        }
        Latency.Summary summary = latency.summary();
        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50()).isCloseTo(50.0, within(0.1));
        assertThat(summary.max()).isCloseTo(100.0, within(0.1));
    }

    @Test
    void aMergedDistributionHoldsEveryValueOfItsPartsWhichStayAsTheyWere() {
        Latency fast = new Latency();
        Latency slow = new Latency();
        for (int i = 0; i < 99; i++) {
            fast.recordNanos(10_000_000L);
        }
        slow.recordNanos(500_000_000L);

        Latency all = Latency.merged(List.of(fast, slow));

        assertThat(all.count()).isEqualTo(100);
        assertThat(all.summary().p50()).isCloseTo(10.0, within(0.1));
        assertThat(all.summary().max()).isCloseTo(500.0, within(1.0));
        assertThat(fast.count()).isEqualTo(99);
        assertThat(slow.count()).isEqualTo(1);
    }
}
