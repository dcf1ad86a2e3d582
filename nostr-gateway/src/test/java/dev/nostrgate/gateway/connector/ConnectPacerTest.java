package dev.nostrgate.gateway.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectPacerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ConnectPacer pacer = new ConnectPacer(100, now::get, new Random(7));

    @Test
    void aRelayStartedAloneConnectsAtOnce() {
        assertThat(pacer.nextDelay()).isZero();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(pacer.nextDelay()).isZero();
    }

    @Test
    void aThousandRelaysStartedTogetherAreSpreadOverTenSecondsAtAHundredPerSecond() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            delays.add(pacer.nextDelay());
        }
        assertThat(delays.get(0)).isZero();
        for (int i = 1; i < delays.size(); i++) { // each in its own 10 ms slot, at a random moment of it
            long millis = delays.get(i).toNanos() / 1_000_000;
            assertThat(millis).isBetween(i * 10L, i * 10L + 10);
        }
        long inFirstSecond = delays.stream().filter(delay -> delay.compareTo(Duration.ofSeconds(1)) < 0).count();
        assertThat(inFirstSecond).isEqualTo(100);
        assertThat(delays.stream().map(Duration::toNanos).distinct().count()).as("jittered, not lined up")
                .isGreaterThan(990);
    }

    @Test
    void onceTheQueuedStartsHavePassedANewStartConnectsAtOnceAgain() {
        for (int i = 0; i < 50; i++) {
            pacer.nextDelay();
        }
        now.addAndGet(Duration.ofMillis(200).toNanos()); // the 50 slots (500 ms) are not over yet
        assertThat(pacer.nextDelay()).isBetween(Duration.ofMillis(300), Duration.ofMillis(310));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(pacer.nextDelay()).isZero();
    }
}
