package dev.nostrgate.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import dev.nostrgate.gateway.connector.LocalRelays;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.StatsRepository;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One piece of work per relay at a time: what the REST API runs on its own thread and what the tick submits. No
 * database: the work is given as tasks, the keeper never ticks.
 */
class LeaseKeeperWorkTest {
    private final LeaseKeeper keeper = new LeaseKeeper(mock(LeaseTable.class), mock(RelayRegistry.class),
            mock(LocalRelays.class), mock(StatsRepository.class),
            new FleetProperties("test", Duration.ofSeconds(15), Duration.ofSeconds(2), 4));
    private final UUID relay = UUID.randomUUID();
    private final CountDownLatch tickMayFinish = new CountDownLatch(1);
    /** Set by the blocking work as its last step. */
    private final AtomicBoolean workDone = new AtomicBoolean();

    @AfterEach
    void letTheTickFinish() {
        tickMayFinish.countDown();
    }

    /** Work that says it runs, then blocks until {@link #tickMayFinish}, then sets {@link #workDone}. */
    private Runnable blockingWork(CountDownLatch running) {
        return () -> {
            running.countDown();
            try {
                tickMayFinish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workDone.set(true);
        };
    }

    private CompletableFuture<Void> tickBusyWith(LeaseKeeper.Work kind) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Void> work = keeper.submit(relay, kind, blockingWork(running));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return work;
    }

    @Test
    void aStartAskedForWhileTheTickStartsTheRelayIsThatStartAndReturnsAtOnce() throws Exception {
        CompletableFuture<Void> ticksStart = tickBusyWith(LeaseKeeper.Work.START);
        AtomicBoolean ranAgain = new AtomicBoolean();

        keeper.runHere(relay, LeaseKeeper.Work.START, () -> ranAgain.set(true));

        assertThat(ranAgain).as("not started twice").isFalse();
        assertThat(ticksStart).isNotDone();
        tickMayFinish.countDown();
        ticksStart.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aChangeAskedForMeanwhileIsLeftToTheTickNotRefused() throws Exception {
        tickBusyWith(LeaseKeeper.Work.START);
        AtomicBoolean changed = new AtomicBoolean();

        // the registry has the change already; the first tick after the start applies it (LeaseKeeperStartsTest)
        keeper.runHere(relay, LeaseKeeper.Work.CHANGE, () -> changed.set(true));

        assertThat(changed).as("not run beside the start").isFalse();
    }

    @Test
    void aStartAskedForWhileTheTickHandsTheRelayOverIsRefused() throws Exception {
        tickBusyWith(LeaseKeeper.Work.HAND_OVER);

        assertThatThrownBy(() -> keeper.runHere(relay, LeaseKeeper.Work.START, () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("busy here (HAND_OVER)");
    }

    @Test
    void aRemovalAskedForWhileTheTickStartsTheRelayRunsOnceThatStartIsDoneNotNever() throws Exception {
        tickBusyWith(LeaseKeeper.Work.START);
        AtomicBoolean removed = new AtomicBoolean();

        CompletableFuture<Void> removal = keeper.submitAfterUnderway(relay, LeaseKeeper.Work.REMOVE,
                () -> removed.set(workDone.get()));
        assertThat(removal).as("waits for the start").isNotDone();

        tickMayFinish.countDown();
        removal.get(10, TimeUnit.SECONDS);
        assertThat(removed).as("ran, after the start").isTrue();
    }

    @Test
    void aRemovalAlsoWaitsForAStartThatARestRequestRunsOnItsOwnThread() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CompletableFuture.runAsync(() -> keeper.runHere(relay, LeaseKeeper.Work.START, blockingWork(starting)));
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean removed = new AtomicBoolean();

        CompletableFuture<Void> removal = keeper.submitAfterUnderway(relay, LeaseKeeper.Work.REMOVE,
                () -> removed.set(workDone.get()));
        assertThat(removal).isNotDone();

        tickMayFinish.countDown();
        removal.get(10, TimeUnit.SECONDS);
        assertThat(removed).isTrue();
    }

    @Test
    void workRunsOnTheCallersThreadWhenNothingElseIsUnderWay() {
        AtomicBoolean ran = new AtomicBoolean();
        keeper.runHere(relay, LeaseKeeper.Work.START, () -> ran.set(true));
        assertThat(ran).isTrue();
        keeper.runHere(relay, LeaseKeeper.Work.CHANGE, () -> { }); // and the relay is free again afterwards
    }
}
