package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestScenarioTest {
    static Report run(String... args) throws Exception {
        return LoadGenerator.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), args);
    }

    @Test
    void publishesEveryEventAndCountsOneOkForEach() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("ingest", "--url", relay.url(), "--warmup", "0", "--events", "200",
                    "--connections", "4", "--in-flight", "3", "--authors", "20", "--duration", "60s");

            assertThat(report.count("events_sent")).isEqualTo(200);
            assertThat(report.count("accepted")).isEqualTo(200);
            assertThat(report.count("rejected")).isZero();
            assertThat(report.count("unanswered")).isZero();
            assertThat(report.count("connections_open")).isEqualTo(4);
            assertThat(report.latency("ok (send -> OK)").count()).isEqualTo(200);
            assertThat(relay.storedEvents()).isEqualTo(200);
            assertThat(report.has("cpu_s_generator")).isTrue();
            assertThat(report.has("cpu_ms_per_1000_events_relay")).as("no --pid").isFalse();
        }
    }

    @Test
    void publishesTheWarmUpEventsFirstAndCountsOnlyTheOthers() throws Exception {
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("ingest", "--url", relay.url(), "--events", "100", "--warmup", "60",
                    "--connections", "2", "--authors", "20");

            assertThat(report.count("warmup_events")).isEqualTo(60);
            assertThat(report.count("events_sent")).isEqualTo(100);
            assertThat(report.count("accepted")).isEqualTo(100);
            assertThat(report.latency("ok (send -> OK)").count()).isEqualTo(100);
            assertThat(relay.storedEvents()).as("distinct events, none a duplicate").isEqualTo(160);
        }
    }

    @Test
    void countsRefusalsByTheirPrefix() throws Exception {
        try (FakeRelay relay = FakeRelay.start(new FakeRelay.Faults(10, 0))) {
            Report report = run("ingest", "--url", relay.url(), "--warmup", "0", "--events", "100",
                    "--connections", "2", "--authors", "20");

            assertThat(report.count("accepted")).isEqualTo(90);
            assertThat(report.count("rejected")).isEqualTo(10);
            assertThat(report.count("rejected: blocked")).isEqualTo(10);
            assertThat(report.count("unanswered")).isZero();
        }
    }

    @Test
    void writesTheResultsAsJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("notes/ingest.json");
        try (FakeRelay relay = FakeRelay.start()) {
            run("ingest", "--url", relay.url(), "--warmup", "0", "--events", "50", "--connections", "2",
                    "--authors", "10", "--json", json.toString());
        }

        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results.get("scenario").asText()).isEqualTo("ingest");
        assertThat(results.get("settings").get("events").asInt()).isEqualTo(50);
        assertThat(results.get("results").get("accepted").asLong()).isEqualTo(50);
        assertThat(results.get("latency_ms").get("ok (send -> OK)").get("count").asLong()).isEqualTo(50);
        assertThat(results.get("latency_ms").get("ok (send -> OK)").has("p99")).isTrue();
    }

    @Test
    void failsWithTheReasonWhenNoConnectionOpens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> run("ingest", "--url", "ws://127.0.0.1:" + closedPort, "--events", "10",
                "--warmup", "0", "--connections", "2", "--authors", "5"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no connection")
                .hasMessageContaining("connect: ");
    }
}
