package dev.nostrgate.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OverviewSamplerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private static OverviewReadings.Relay relay(UUID id, long received, long stored) {
        return new OverviewReadings.Relay(id, "wss://" + id.toString().substring(35) + ".example", "r", "live",
                false, null, "since", 0, received, stored, null);
    }

    private static OverviewReadings at(int second, OverviewReadings.Relay... relays) {
        return new OverviewReadings(T0.plusSeconds(second), "ready", List.of(relays), 3, Overview.Lag.NONE);
    }

    /** A reader the test moves by hand. */
    private static final class Readings implements Supplier<OverviewReadings> {
        final AtomicReference<OverviewReadings> next = new AtomicReference<>();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public OverviewReadings get() {
            reads.incrementAndGet();
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
            return next.get();
        }
    }

    @Test
    void theFirstSampleHasNoRatesAndTheNextMeasuresReceivedPerSecondSinceIt() {
        Readings readings = new Readings();
        OverviewSampler sampler = new OverviewSampler(readings, Duration.ofSeconds(5), overview -> new byte[0]);
        readings.next.set(at(0, relay(A, 100, 1_000), relay(B, 0, 0)));
        sampler.sample();
        assertThat(sampler.current().totals().eventsPerSecond()).isZero();
        assertThat(sampler.current().relays()).allSatisfy(r -> assertThat(r.eventsPerSecond()).isZero());

        readings.next.set(at(5, relay(A, 150, 1_040), relay(B, 25, 20)));
        sampler.sample();

        Overview overview = sampler.current();
        assertThat(overview.asOf()).isEqualTo(T0.plusSeconds(5));
        assertThat(overview.relays()).extracting(Overview.Relay::eventsPerSecond).containsExactly(10.0, 5.0);
        assertThat(overview.totals().eventsPerSecond()).isCloseTo(15.0, within(1e-9));
        assertThat(overview.totals().received()).isEqualTo(175);
        assertThat(overview.totals().stored()).isEqualTo(1_060);
        assertThat(overview.totals().relays()).isEqualTo(2);
        assertThat(overview.deadLetters()).isEqualTo(3);
    }

    @Test
    void aRelayNewToTheSampleOrWhoseCounterWentBackCountsFromZero() {
        Readings readings = new Readings();
        OverviewSampler sampler = new OverviewSampler(readings, Duration.ofSeconds(5), overview -> new byte[0]);
        readings.next.set(at(0, relay(A, 500, 0)));
        sampler.sample();

        // A was removed and registered again under the same id's counters (they start over); B is new
        readings.next.set(at(2, relay(A, 40, 0), relay(B, 900, 0)));
        sampler.sample();

        assertThat(sampler.current().relays()).extracting(Overview.Relay::eventsPerSecond)
                .containsExactly(20.0, 0.0);
    }

    @Test
    void whatCouldNotBeReadIsNullAndWhatOnlySharedInstancesHaveIsLeftOut() throws Exception {
        Readings readings = new Readings();
        OverviewSampler sampler = new OverviewSampler(readings, Duration.ofSeconds(5), overview -> new byte[0]);
        readings.next.set(new OverviewReadings(T0, "catching-up", List.of(new OverviewReadings.Relay(A,
                "wss://a.example", "a", "backoff", false, "connection refused", null, -1, 0, -1, null)), -1,
                new Overview.Lag(12, 250, 900, 42)));
        sampler.sample();

        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        JsonNode overview = json.valueToTree(sampler.current());
        assertThat(overview.get("asOf").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(overview.get("phase").asText()).isEqualTo("catching-up");
        assertThat(overview.get("deadLetters").isNull()).isTrue();
        assertThat(overview.get("totals").get("stored").isNull()).isTrue();
        assertThat(overview.get("lag").toString()).isEqualTo("{\"p50Ms\":12.0,\"p99Ms\":250.0,\"maxMs\":900.0,"
                + "\"count\":42}");
        assertThat(overview.has("instances")).isFalse();
        JsonNode row = overview.get("relays").get(0);
        assertThat(row.get("state").asText()).isEqualTo("backoff");
        assertThat(row.get("lastError").asText()).isEqualTo("connection refused");
        assertThat(row.get("queueDepth").isNull()).isTrue();
        assertThat(row.get("stored").isNull()).isTrue();
        assertThat(row.has("owner")).isFalse();
    }

    @Test
    void aFailedSampleKeepsTheLastSnapshotAndTheNextGoodOneReplacesIt() {
        Readings readings = new Readings();
        OverviewSampler sampler = new OverviewSampler(readings, Duration.ofSeconds(5), overview -> new byte[0]);
        readings.next.set(at(0, relay(A, 10, 0)));
        sampler.sample();
        Overview before = sampler.current();

        readings.failure.set(new IllegalStateException("database down"));
        sampler.sample();
        assertThat(sampler.current()).isSameAs(before);

        readings.failure.set(null);
        readings.next.set(at(10, relay(A, 60, 0)));
        sampler.sample();
        assertThat(sampler.current().relays().get(0).eventsPerSecond()).isEqualTo(5.0);
    }

    @Test
    void startedItHasASnapshotAtOnceAndRefreshesItInTheBackground() {
        Readings readings = new Readings();
        readings.next.set(at(0, relay(A, 0, 0)));
        OverviewSampler sampler = new OverviewSampler(readings, Duration.ofMillis(20), overview -> new byte[0]);
        assertThat(sampler.current()).isNull();
        sampler.start();
        try {
            assertThat(sampler.current()).isNotNull();
            assertThat(sampler.isRunning()).isTrue();
            readings.next.set(at(1, relay(A, 7, 0)));
            await().until(() -> sampler.current().asOf().equals(T0.plusSeconds(1)));
            assertThat(sampler.current().relays().get(0).received()).isEqualTo(7);
        } finally {
            sampler.stop();
        }
        assertThat(sampler.isRunning()).isFalse();
    }
}
