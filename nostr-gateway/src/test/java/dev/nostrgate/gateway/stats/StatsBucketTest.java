package dev.nostrgate.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsBucketTest {
    @Test
    void bucketsStartOnWholeMinutesAndHours() {
        assertThat(StatsBucket.MINUTE.startOf(1_700_000_059)).isEqualTo(1_700_000_040);
        assertThat(StatsBucket.HOUR.startOf(1_700_000_059)).isEqualTo(1_699_999_200);
        assertThat(StatsBucket.MINUTE.startOf(-1)).isEqualTo(-60);
        assertThat(StatsBucket.HOUR.apiName()).isEqualTo("hour");
    }
}
