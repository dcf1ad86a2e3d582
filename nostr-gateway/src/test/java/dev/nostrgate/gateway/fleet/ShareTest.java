package dev.nostrgate.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShareTest {

    @Test
    void splitsEvenlyAndGivesTheRemainderToTheFirstInstancesSoTheSharesAddUpToEveryRelay() {
        List<String> live = List.of("a", "b", "c");
        assertThat(List.of(Share.target("a", live, 31), Share.target("b", live, 31), Share.target("c", live, 31)))
                .containsExactly(11, 10, 10);
        assertThat(Share.target("a", live, 30) + Share.target("b", live, 30) + Share.target("c", live, 30))
                .isEqualTo(30);
    }

    @Test
    void anInstanceNotYetListedCountsItselfWhereItWillSortAmongTheOthers() {
        assertThat(Share.target("b", List.of("a", "c"), 31)).isEqualTo(Share.target("b", List.of("a", "b", "c"), 31));
        assertThat(Share.target("solo", List.of(), 7)).isEqualTo(7);
    }

    @Test
    void noRelaysMeansNoShare() {
        assertThat(Share.target("a", List.of("a", "b"), 0)).isZero();
    }
}
