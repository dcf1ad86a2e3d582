package dev.nostrgate.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * fleet-bench refuses a run of quorum queues that RabbitMQ 3.x's file-handle budget cannot hold (3 a queue): past
 * it the broker stops answering AMQP handshakes and the gateway's restart would hang.
 */
class FleetBenchmarkPreflightTest {

    @Test
    void refusesAThousandQuorumQueuesOnTheBudgetOfABrokerStartedWith1024OpenFiles() {
        assertThat(FleetBenchmark.fileHandleShortage(1000, "", OptionalInt.of(927))).hasValueSatisfying(why ->
                assertThat(why).contains("3100").contains("927").contains("--queues classic"));
        assertThat(FleetBenchmark.fileHandleShortage(1000, "quorum", OptionalInt.of(927))).isPresent();
    }

    @Test
    void letsRunWhatTheBudgetHoldsAndWhatNeedsNone() {
        assertThat(FleetBenchmark.fileHandleShortage(1000, "", OptionalInt.of(19_903))).isEmpty();
        assertThat(FleetBenchmark.fileHandleShortage(270, "", OptionalInt.of(927))).as("3 x 270 + 100 = 910").isEmpty();
        assertThat(FleetBenchmark.fileHandleShortage(1000, "classic", OptionalInt.of(927))).isEmpty();
        assertThat(FleetBenchmark.fileHandleShortage(1000, "", OptionalInt.empty())).as("RabbitMQ 4").isEmpty();
    }
}
