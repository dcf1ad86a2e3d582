package dev.nostrgate.gateway.connector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {
    private static final Duration LINGER = Duration.ofMillis(5);

    @Test
    void refusesLimitsThatCannotMakeABatchNamingTheKey() {
        assertThatThrownBy(() -> new BatchLimits(0, 1024, LINGER))
                .hasMessageContaining("gateway.batch-max-events must be at least 1");
        assertThatThrownBy(() -> new BatchLimits(100, 0, LINGER))
                .hasMessageContaining("gateway.batch-max-bytes must be 1B..16MB");
        assertThatThrownBy(() -> new BatchLimits(100, BatchLimits.MAX_BYTES + 1L, LINGER))
                .hasMessageContaining("gateway.batch-max-bytes must be 1B..16MB");
        assertThatThrownBy(() -> new BatchLimits(100, 1024, Duration.ofMillis(-1)))
                .hasMessageContaining("gateway.batch-linger must be 0..1m");
        assertThatThrownBy(() -> new BatchLimits(100, 1024, Duration.ofMinutes(2)))
                .hasMessageContaining("gateway.batch-linger must be 0..1m");
    }
}
