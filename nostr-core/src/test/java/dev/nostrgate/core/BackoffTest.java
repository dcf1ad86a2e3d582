package dev.nostrgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.DEFAULT;

    @Test
    void stepsDoubleFromTheInitialDelayUpToTheMaximum() {
        assertThat(backoff.step(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.step(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.step(6)).isEqualTo(Duration.ofMillis(16_000));
        assertThat(backoff.step(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.step(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void eachDelayIsBetweenHalfAndAllOfItsStep() {
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 0; attempt < 20; attempt++) {
            long step = backoff.step(attempt).toMillis();
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(attempt, random).toMillis()).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void refusesDelaysThatMakeNoSense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial delay");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max delay");
    }
}
