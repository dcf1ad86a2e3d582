package dev.nostrgate.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class OverviewControllerTest {

    @Test
    void answers503WithAReasonUntilASampleCouldBeTaken() {
        OverviewSampler sampler = new OverviewSampler(() -> {
            throw new IllegalStateException("database unreachable");
        }, Duration.ofSeconds(5));
        sampler.sample();

        ErrorResponseException refused = catchThrowableOfType(ErrorResponseException.class,
                () -> new OverviewController(sampler).overview());

        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getBody().getDetail()).contains("not been able to sample");
    }

    @Test
    void servesTheLatestSample() {
        OverviewSampler sampler = new OverviewSampler(() -> new OverviewReadings(Instant.EPOCH, "ready", List.of(),
                0, Overview.Lag.NONE), Duration.ofSeconds(5));
        sampler.sample();

        assertThat(new OverviewController(sampler).overview()).isSameAs(sampler.current());
    }
}
