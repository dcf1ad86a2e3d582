package dev.nostrgate.benchmarks.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Reads this test's own JVM through the real /proc. */
class ProcessProbeTest {
    private final ProcessProbe probe = new ProcessProbe(Path.of("/proc"));
    private final long self = ProcessHandle.current().pid();

    @Test
    void threadsOfOnePoolCountAsOneGroup() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            threads.add(Thread.ofPlatform().name("probe-" + i + "-worker").start(() -> {
                running.countDown();
                awaitQuietly(release);
            }));
        }
        running.await();
        try {
            assertThat(probe.threadCounts(self)).containsEntry("probe-#-worker", 3);
            assertThat(probe.threadTicks(self).values()).extracting(ProcessProbe.ThreadTicks::group)
                    .contains("probe-#-worker");
        } finally {
            release.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    @Test
    void processesAreFoundByCommandName() {
        ProcessProbe.Named java = probe.named("java");
        assertThat(java.pids()).contains(self);
        assertThat(java.ticks()).isGreaterThanOrEqualTo(probe.cpuTicks(self));
    }

    @Test
    void aProcessThatIsGoneHasNoThreadsAndNoTicks() {
        assertThat(probe.threadCounts(Long.MAX_VALUE)).isEmpty();
        assertThat(probe.cpuTicks(Long.MAX_VALUE)).isZero();
        assertThat(probe.oldestTicks("no such command")).isZero();
        assertThat(probe.named("no such command").pids()).isEmpty();
    }

    @Test
    void ticksBetweenReadingsAreSummedPerGroupAndANewThreadCountsWhole() {
        Map<Long, ProcessProbe.ThreadTicks> before = Map.of(
                1L, new ProcessProbe.ThreadTicks("pool-#-thread-#", 100),
                2L, new ProcessProbe.ThreadTicks("pool-#-thread-#", 50),
                3L, new ProcessProbe.ThreadTicks("GC Thread#", 10));
        Map<Long, ProcessProbe.ThreadTicks> after = Map.of(
                1L, new ProcessProbe.ThreadTicks("pool-#-thread-#", 130),
                2L, new ProcessProbe.ThreadTicks("pool-#-thread-#", 55),
                3L, new ProcessProbe.ThreadTicks("GC Thread#", 10),
                4L, new ProcessProbe.ThreadTicks("AMQP Connection", 7));

        assertThat(ProcessProbe.ticksBetween(before, after)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pool-#-thread-#", 35L, "GC Thread#", 0L, "AMQP Connection", 7L));
    }

    @Test
    void runsOfDigitsBecomeOneMark() {
        assertThat(ProcessProbe.group("ForkJoinPool-12-worker-3")).isEqualTo("ForkJoinPool-#-worker-#");
        assertThat(ProcessProbe.group("C2 CompilerThre")).isEqualTo("C# CompilerThre");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
