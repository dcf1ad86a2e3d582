package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.benchmarks.load.LoadOptions.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnesPerScenario() {
        LoadOptions ingest = LoadOptions.parse(Scenario.INGEST, List.of());
        LoadOptions idle = LoadOptions.parse(Scenario.IDLE, List.of());
        LoadOptions fanout = LoadOptions.parse(Scenario.FANOUT, List.of());

        assertThat(ingest.url()).hasToString("ws://127.0.0.1:7447");
        assertThat(ingest.connections()).isEqualTo(16);
        assertThat(ingest.inFlight()).isEqualTo(1);
        assertThat(ingest.events()).isEqualTo(20_000);
        assertThat(idle.connections()).isEqualTo(10_000);
        assertThat(idle.hold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fanout.events()).isEqualTo(2_000);
        assertThat(fanout.subscribers()).isEqualTo(200);
        assertThat(fanout.rate()).isEqualTo(200);
        assertThat(ingest.pid()).isEmpty();
        assertThat(ingest.json()).isEmpty();
    }

    @Test
    void readsDurationsAndRatesAsWritten() {
        assertThat(LoadOptions.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadOptions.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadOptions.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(LoadOptions.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadOptions.parseRate("200/s")).isEqualTo(200);
        assertThat(LoadOptions.parseRate("1_000")).isEqualTo(1_000);
        assertThat(LoadOptions.parseRate("600/m")).isEqualTo(10);
        assertThat(LoadOptions.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(LoadOptions.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(LoadOptions.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void readsOptionsGivenOnTheCommandLine() {
        LoadOptions options = LoadOptions.parse(Scenario.IDLE, List.of("--connections", "5_000", "--hold", "1m",
                "--pid", "1234", "--url", "ws://localhost:9000", "--json", "out/idle.json"));

        assertThat(options.connections()).isEqualTo(5_000);
        assertThat(options.hold()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.pid()).hasValue(1234);
        assertThat(options.url().getPort()).isEqualTo(9000);
        assertThat(options.json()).hasValueSatisfying(path -> assertThat(path).hasToString("out/idle.json"));
    }

    @Test
    void everyScenarioTakesTheRelaysAndTheDatabasesPid() {
        for (Scenario scenario : Scenario.values()) {
            LoadOptions options = LoadOptions.parse(scenario, List.of("--pid", "1234", "--db-pid", "5678"));

            assertThat(options.pid()).hasValue(1234);
            assertThat(options.dbPid()).hasValue(5678);
        }
        assertThat(LoadOptions.parse(Scenario.QUERY, List.of()).dbPid()).isEmpty();
    }

    @Test
    void readsTheDatabasesPidFromItsPostmasterPidFileOrItsDataDirectory(@TempDir Path dataDir) throws Exception {
        // as PostgreSQL writes it: pid, data directory, start time, port, socket directory, ...
        Path file = dataDir.resolve("postmaster.pid");
        Files.writeString(file, "27465\n" + dataDir + "\n1796409290\n43645\n/tmp\nlocalhost\n"
                + "  2293821     98347\nready   \n");

        assertThat(LoadOptions.parse(Scenario.QUERY, List.of("--db-pid", file.toString())).dbPid()).hasValue(27465);
        assertThat(LoadOptions.parse(Scenario.INGEST, List.of("--db-pid", dataDir.toString())).dbPid())
                .hasValue(27465);
    }

    @Test
    void refusesADatabasePidItCannotRead(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.QUERY, List.of("--db-pid", dir.toString())))
                .hasMessageContaining("--db-pid: cannot read " + dir.resolve("postmaster.pid"));
        Files.writeString(dir.resolve("postmaster.pid"), "not a pid\n");
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.QUERY, List.of("--db-pid", dir.toString())))
                .hasMessageContaining("is not a pid");
    }

    @Test
    void refusesAnOptionTheScenarioDoesNotRead() {
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.INGEST, List.of("--subscribers", "5")))
                .hasMessageContaining("--subscribers is not an option of ingest")
                .hasMessageContaining("--in-flight");
    }

    @Test
    void refusesBadValuesNamingTheOption() {
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.INGEST, List.of("--events", "lots")))
                .hasMessageContaining("--events must be a whole number");
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.INGEST, List.of("--in-flight", "0")))
                .hasMessageContaining("--in-flight must be at least 1");
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.FANOUT, List.of("--rate", "fast")))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.INGEST, List.of("--duration", "0s")))
                .hasMessageContaining("--duration must be positive");
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.INGEST, List.of("--url", "wss://127.0.0.1:7447")))
                .hasMessageContaining("wss is not supported");
    }

    @Test
    void targetsOnlyLoopbackUnlessToldOtherwise() {
        assertThatThrownBy(() -> LoadOptions.parse(Scenario.INGEST, List.of("--url", "ws://192.0.2.1:7447")))
                .hasMessageContaining("not a loopback address");
        assertThat(LoadOptions.parse(Scenario.INGEST, List.of("--url", "ws://192.0.2.1:7447", "--allow-remote"))
                .allowRemote()).isTrue();
        assertThat(LoadOptions.parse(Scenario.INGEST, List.of("--url", "ws://[::1]:7447")).url().getHost())
                .isEqualTo("[::1]");
    }
}
