package dev.nostrgate.benchmarks.load;

import static dev.nostrgate.benchmarks.load.IngestScenarioTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryScenarioTest {
    @Test
    void seedsWarmsUpThenAnswersEveryMeasuredQueryWithEose() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("query", "--url", relay.url(), "--seed-events", "100", "--queries", "40",
                    "--warmup", "12", "--connections", "3", "--authors", "10");

            assertThat(report.count("seed_accepted")).isEqualTo(100);
            assertThat(relay.storedEvents()).isEqualTo(100);
            assertThat(report.count("reqs_sent")).isEqualTo(52);
            assertThat(report.count("warmup_queries")).isEqualTo(12);
            assertThat(report.count("eose")).isEqualTo(40);
            assertThat(report.count("unfinished")).isZero();
            assertThat(report.latency("eose (all)").count()).isEqualTo(40);
            // the four types take turns: 10 each
            assertThat(report.latency("eose: kinds 1, limit 50").count()).isEqualTo(10);
            assertThat(report.latency("eose: 5 ids").count()).isEqualTo(10);
            // "kinds 1, limit 50" finds 50 of the 100 seeded notes every time; ids drawn from the seed are found
            assertThat(report.count("events_per_req: kinds 1, limit 50")).isEqualTo(50);
            assertThat(report.count("events_received")).isGreaterThanOrEqualTo(10 * 50 + 10);
        }
    }

    @Test
    void reportsTheCpuTimeOfEachProcessTreeGivenPerThousandMeasuredQueries() throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid()); // the fake relay runs in this JVM
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("query", "--url", relay.url(), "--seed-events", "20", "--queries", "40",
                    "--warmup", "8", "--connections", "2", "--authors", "5", "--pid", pid, "--db-pid", pid);

            assertThat(report.count("relay_pid")).isEqualTo(ProcessHandle.current().pid());
            assertThat(report.number("cpu_window_s")).isPositive();
            assertThat(report.number("cpu_s_relay")).isNotNegative();
            assertThat(report.number("cpu_s_database")).isNotNegative();
            assertThat(report.number("cpu_s_generator")).isNotNegative();
            assertThat(report.number("cores_busy_relay")).isNotNegative();
            assertThat(report.number("cpu_ms_per_1000_req_relay")).isNotNegative();
            assertThat(report.number("cpu_ms_per_1000_req_system")).isEqualTo(
                    report.number("cpu_ms_per_1000_req_relay") + report.number("cpu_ms_per_1000_req_database"));
        }
    }

    @Test
    void runsWithoutSeedingAgainstAnEmptyRelay() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("query", "--url", relay.url(), "--seed-events", "0", "--queries", "8",
                    "--warmup", "0", "--connections", "2", "--authors", "5");

            assertThat(report.count("eose")).isEqualTo(8);
            assertThat(report.count("events_received")).isZero();
            assertThat(report.has("seed_accepted")).isFalse();
            assertThat(report.has("cpu_s_generator")).as("this process is always measured").isTrue();
            assertThat(report.has("cpu_s_relay")).as("no --pid").isFalse();
        }
    }
}
