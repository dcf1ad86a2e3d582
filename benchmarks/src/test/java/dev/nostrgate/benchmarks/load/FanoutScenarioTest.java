package dev.nostrgate.benchmarks.load;

import static dev.nostrgate.benchmarks.load.IngestScenarioTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FanoutScenarioTest {
    @Test
    void deliversEveryEventToEverySubscriber() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("fanout", "--url", relay.url(), "--warmup", "0", "--subscribers", "5", "--events", "20",
                    "--rate", "400/s", "--authors", "10");

            assertThat(report.count("subscribed")).isEqualTo(5);
            assertThat(report.count("events_sent")).isEqualTo(20);
            assertThat(report.count("accepted")).isEqualTo(20);
            assertThat(report.count("deliveries_expected")).isEqualTo(100);
            assertThat(report.count("deliveries")).isEqualTo(100);
            assertThat(report.count("missing")).isZero();
            assertThat(report.count("duplicates")).isZero();
            assertThat(report.count("foreign_events")).isZero();
            assertThat(report.latency("delivery (send -> receive)").count()).isEqualTo(100);
            assertThat(report.has("cpu_s_generator")).isTrue();
        }
    }

    @Test
    void sendsTheWarmUpEventsFirstAndCountsOnlyTheOthers() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("fanout", "--url", relay.url(), "--warmup", "15", "--subscribers", "4",
                    "--events", "10", "--rate", "500/s", "--authors", "10");

            assertThat(report.count("warmup_events")).isEqualTo(15);
            assertThat(report.count("events_sent")).isEqualTo(10);
            assertThat(report.count("accepted")).isEqualTo(10);
            assertThat(report.count("deliveries_expected")).isEqualTo(40);
            assertThat(report.count("deliveries")).isEqualTo(40);
            assertThat(report.count("duplicates")).isZero();
            assertThat(report.latency("delivery (send -> receive)").count()).isEqualTo(40);
            assertThat(report.latency("ok (publisher)").count()).isEqualTo(10);
        }
    }

    @Test
    void countsTheDeliveriesTheRelayDropped() throws Exception {
        try (FakeRelay relay = FakeRelay.start(new FakeRelay.Faults(0, 10))) {
            Report report = run("fanout", "--url", relay.url(), "--warmup", "0", "--subscribers", "5", "--events", "20",
                    "--rate", "1000/s", "--authors", "10", "--grace", "1s");

            assertThat(report.count("deliveries_expected")).isEqualTo(100);
            assertThat(report.count("deliveries")).isEqualTo(90);
            assertThat(report.count("missing")).isEqualTo(10);
        }
    }
}
