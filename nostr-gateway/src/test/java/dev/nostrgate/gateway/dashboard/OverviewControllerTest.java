package dev.nostrgate.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;

class OverviewControllerTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private static byte[] write(Overview overview) {
        try {
            return JSON.writeValueAsBytes(overview);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void answers503WithAReasonUntilASampleCouldBeTaken() {
        OverviewSampler sampler = new OverviewSampler(() -> {
            throw new IllegalStateException("database unreachable");
        }, Duration.ofSeconds(5), OverviewControllerTest::write);
        sampler.sample();

        ErrorResponseException refused = catchThrowableOfType(ErrorResponseException.class,
                () -> new OverviewController(sampler).overview());

        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getBody().getDetail()).contains("not been able to sample");
    }

    @Test
    void servesTheLatestSampleWrittenOnceAsJson() throws Exception {
        OverviewSampler sampler = new OverviewSampler(() -> new OverviewReadings(Instant.EPOCH, "ready", List.of(),
                0, Overview.Lag.NONE), Duration.ofSeconds(5), OverviewControllerTest::write);
        sampler.sample();

        OverviewController controller = new OverviewController(sampler);
        ResponseEntity<byte[]> first = controller.overview();

        assertThat(first.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(JSON.readValue(first.getBody(), Overview.class)).isEqualTo(sampler.current());
        assertThat(controller.overview().getBody()).as("the snapshot's JSON, written once").isSameAs(first.getBody());

        sampler.sample();
        assertThat(controller.overview().getBody()).as("a new snapshot is written anew").isNotSameAs(first.getBody());
    }
}
