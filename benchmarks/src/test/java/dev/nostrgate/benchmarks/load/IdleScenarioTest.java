package dev.nostrgate.benchmarks.load;

import static dev.nostrgate.benchmarks.load.IngestScenarioTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleScenarioTest {
    @Test
    void holdsEveryConnectionOpenAndPingsIt() throws Exception {
        long pid = ProcessHandle.current().pid(); // the fake relay runs in this JVM
        try (FakeRelay relay = FakeRelay.start()) {
            Report report = run("idle", "--url", relay.url(), "--connections", "50", "--connect-rate", "500/s",
                    "--hold", "2s", "--ping-interval", "300ms", "--pid", Long.toString(pid));

            assertThat(report.count("established")).isEqualTo(50);
            assertThat(report.count("failed")).isZero();
            assertThat(report.count("closed_by_relay")).isZero();
            assertThat(report.count("open_at_end_of_hold")).isEqualTo(50);
            assertThat(report.count("pongs")).isPositive();
            assertThat(report.count("relay_rss_before_kb")).isPositive();
            assertThat(report.count("relay_rss_end_kb")).isPositive();
            assertThat(report.has("relay_kb_per_connection")).isTrue();
            assertThat(report.number("cpu_s_relay")).as("over the hold").isNotNegative();
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.openConnections() == 0);
        }
    }

    @Test
    void countsRefusedConnectionsAsFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Report report = run("idle", "--url", "ws://127.0.0.1:" + closedPort, "--connections", "5", "--hold",
                "1s");

        assertThat(report.count("established")).isZero();
        assertThat(report.count("failed")).isEqualTo(5);
        assertThat(report.count("failed: connect: Connection refused")).isEqualTo(5);
    }
}
