package dev.nostrgate.gateway.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InFlightPermitsTest {
    private final InFlightPermits permits = new InFlightPermits(2);

    @Test
    void givesNoMorePermitsThanMessagesMayWaitForTheirConfirm() {
        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.tryAcquire()).isTrue();
        assertThat(permits.tryAcquire()).as("both taken").isFalse();
        assertThat(permits.taken()).isEqualTo(2);

        permits.release();

        assertThat(permits.tryAcquire()).isTrue();
    }

    @Test
    void aListenerWaitingForAPermitGoesOnWhenAConfirmFreesOne() {
        permits.tryAcquire();
        permits.tryAcquire();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(permits::acquire);
        assertThat(waiting).as("every permit is taken").isNotDone();

        permits.release();

        assertThat(waiting.join()).isTrue();
        assertThat(permits.taken()).isEqualTo(2);
    }

    @Test
    void awaitingNoneInFlightReturnsOnceTheLastConfirmCame() {
        permits.tryAcquire();
        permits.tryAcquire();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(permits::awaitNone);
        permits.release();
        assertThat(waiting).as("one message still unconfirmed").isNotDone();

        permits.release();

        assertThat(waiting.join()).isTrue();
    }

    @Test
    void closingWakesEveryWaiterWithNoAndGivesNoMorePermits() {
        permits.tryAcquire();
        permits.tryAcquire();
        CompletableFuture<Boolean> forAPermit = CompletableFuture.supplyAsync(permits::acquire);
        CompletableFuture<Boolean> forNone = CompletableFuture.supplyAsync(permits::awaitNone);

        permits.close();

        assertThat(forAPermit.join()).isFalse();
        assertThat(forNone.join()).isFalse();
        permits.release();
        assertThat(permits.tryAcquire()).isFalse();
        assertThat(permits.acquire()).isFalse();
    }

    @Test
    void aBoundedWaitGivesUpWhenNoConfirmComes() {
        permits.tryAcquire();
        permits.tryAcquire();

        assertThat(permits.acquire(Duration.ofMillis(20))).isFalse();
        assertThat(permits.awaitNone(Duration.ofMillis(20))).isFalse();
        assertThat(permits.taken()).isEqualTo(2);
    }

    @Test
    void aPermitReleasedThatWasNeverTakenIsABug() {
        assertThatThrownBy(permits::release).isInstanceOf(IllegalStateException.class);
    }
}
