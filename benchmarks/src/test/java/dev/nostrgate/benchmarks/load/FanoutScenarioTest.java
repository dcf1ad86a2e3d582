package dev.nostrgate.benchmarks.load;

import static dev.nostrgate.benchmarks.load.IngestScenarioTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FanoutScenarioTest {
    @Test
    void deliversEveryEventToEverySubscriber() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("fanout", "--url", relay.url(), "--subscribers", "5", "--events", "20",
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
        }
    }

    @Test
    void countsTheDeliveriesTheRelayDropped() throws Exception {
        try (FakeRelay relay = FakeRelay.start(new FakeRelay.Faults(0, 10))) {
            Report report = run("fanout", "--url", relay.url(), "--subscribers", "5", "--events", "20",
                    "--rate", "1000/s", "--authors", "10", "--grace", "1s");

            assertThat(report.count("deliveries_expected")).isEqualTo(100);
            assertThat(report.count("deliveries")).isEqualTo(90);
            assertThat(report.count("missing")).isEqualTo(10);
        }
    }
}
