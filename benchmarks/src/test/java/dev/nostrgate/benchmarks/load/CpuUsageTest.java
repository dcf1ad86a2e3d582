package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CpuUsageTest {
    private static CpuUsage.TreeUsage measured(String name, long pid, long ticks) {
        return new CpuUsage.TreeUsage(new CpuMeter.Tree(name, pid), OptionalLong.of(ticks), "");
    }

    @Test
    void reportsSecondsCoresBusyAndMillisecondsPerThousandUnitsForRelayDatabaseAndTheirSum() {
        CpuUsage usage = new CpuUsage(10.0, 20_000, 100, List.of(measured("relay", 11, 800), measured("database", 22, 400),
                measured("generator", 33, 500)));
        Report report = new Report("query", Map.of());

        usage.addTo(report, "req");

        assertThat(report.count("relay_pid")).isEqualTo(11);
        assertThat(report.count("database_pid")).isEqualTo(22);
        assertThat(report.count("generator_pid")).isEqualTo(33);
        assertThat(report.count("cpu_window_req")).isEqualTo(20_000);
        assertThat(report.number("cpu_s_relay")).isEqualTo(8.0);
        assertThat(report.number("cpu_s_database")).isEqualTo(4.0);
        assertThat(report.number("cpu_s_generator")).isEqualTo(5.0);
        assertThat(report.number("cores_busy_relay")).isEqualTo(0.8);
        assertThat(report.number("cores_busy_generator")).isEqualTo(0.5);
        // 8 s over 20,000 REQs: 0.4 ms each, 400 ms per 1,000
        assertThat(report.number("cpu_ms_per_1000_req_relay")).isEqualTo(400.0);
        assertThat(report.number("cpu_ms_per_1000_req_database")).isEqualTo(200.0);
        assertThat(report.number("cpu_ms_per_1000_req_system")).isEqualTo(600.0);
        assertThat(report.has("cpu_ms_per_1000_req_generator")).isFalse();
    }

    @Test
    void withoutTheDatabaseThereIsNoSystemRow() {
        CpuUsage usage = new CpuUsage(2.0, 1_000, 100, List.of(measured("relay", 11, 100),
                new CpuUsage.TreeUsage(new CpuMeter.Tree("database", 22), OptionalLong.empty(), "pid 22 not running"),
                measured("generator", 33, 50)));
        Report report = new Report("ingest", Map.of());

        usage.addTo(report, "events");

        assertThat(report.number("cpu_ms_per_1000_events_relay")).isEqualTo(1_000.0);
        assertThat(report.text("cpu_s_database")).isEqualTo("pid 22 not running");
        assertThat(report.has("cpu_ms_per_1000_events_database")).isFalse();
        assertThat(report.has("cpu_ms_per_1000_events_system")).isFalse();
    }

    @Test
    void withoutUnitsOfWorkThereAreOnlySecondsAndCoresBusy() {
        CpuUsage usage = new CpuUsage(30.0, 0, 100, List.of(measured("relay", 11, 300), measured("generator", 33, 60)));
        Report report = new Report("idle", Map.of());

        usage.addTo(report);

        assertThat(report.number("cpu_window_s")).isEqualTo(30.0);
        assertThat(report.number("cores_busy_relay")).isEqualTo(0.1);
        assertThat(report.has("cpu_ms_per_1000_req_relay")).isFalse();
    }
}
