package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMeterTest {
    @TempDir
    Path dir;

    @Test
    void measuresTheCpuThisProcessSpendsBetweenTwoReadings() throws Exception {
        long self = ProcessHandle.current().pid();
        CpuMeter meter = new CpuMeter(Path.of("/proc"), List.of(new CpuMeter.Tree("generator", self)),
                CpuMeter.clockTicksPerSecond());
        CpuMeter.Reading start = meter.read(() -> 0);
        long startTicks = start.trees().get("generator").ticks();

        // burn CPU until /proc shows at least one more tick (a tick is 10 ms at USER_HZ 100)
        long sink = 1;
        do {
            for (int i = 0; i < 1_000_000; i++) {
                sink += Long.rotateLeft(sink ^ i, 7);
            }
        } while (meter.read(() -> 0).trees().get("generator").ticks() == startTicks);
        CpuUsage usage = meter.between(start, meter.read(() -> 0));

        assertThat(sink).isNotZero();
        assertThat(usage.seconds("generator")).hasValueSatisfying(seconds -> assertThat(seconds).isPositive());
        assertThat(usage.wallSeconds()).isPositive();
    }

    @Test
    void aTreeIncludesItsDescendants() {
        FakeProc proc = new FakeProc(dir)
                .process(100, "postgres", 1, 10, 3, 50)
                .process(101, "postgres", 100, 20, 0, 51)
                .process(102, "postgres", 100, 30, 0, 52)
                .process(103, "sh", 102, 1, 0, 53)
                .process(200, "postgres", 1, 1000, 0, 60);
        CpuMeter meter = new CpuMeter(dir, List.of(new CpuMeter.Tree("database", 100)), 100);
        CpuMeter.Reading start = meter.read(() -> 0);
        proc.process(101, "postgres", 100, 25, 0, 51).process(103, "sh", 102, 3, 0, 53)
                .process(200, "postgres", 1, 5000, 0, 60);

        assertThat(meter.between(start, meter.read(() -> 0)).trees().getFirst().ticks()).hasValue(5 + 2);
    }

    @Test
    void aBackendThatEndsBetweenTwoReadingsIsCountedThroughThePostmasterThatReapedIt() {
        FakeProc proc = new FakeProc(dir)
                .process(100, "postgres", 1, 10, 0, 50)
                .process(101, "postgres", 100, 50, 0, 51);
        CpuMeter meter = new CpuMeter(dir, List.of(new CpuMeter.Tree("database", 100)), 100);
        CpuMeter.Reading start = meter.read(() -> 0);
        // the backend ran 30 more ticks and ended at 80; the postmaster ran 2 more and reaped it
        proc.remove(101);
        proc.process(100, "postgres", 1, 12, 80, 50);
        // and a new backend started and has run 7
        proc.process(102, "postgres", 100, 7, 0, 90);

        CpuUsage usage = meter.between(start, meter.read(() -> 0));

        assertThat(usage.trees().getFirst().ticks()).hasValue(30 + 2 + 7);
    }

    @Test
    void countsTheWorkDoneBetweenTheReadings() {
        new FakeProc(dir).process(100, "java", 1, 500, 0, 40);
        CpuMeter meter = new CpuMeter(dir, List.of(new CpuMeter.Tree("relay", 100)), 100);

        CpuUsage usage = meter.between(meter.read(() -> 1_200), meter.read(() -> 21_200));

        assertThat(usage.work()).isEqualTo(20_000);
    }

    @Test
    void readsTheClockTicksPerSecond() {
        assertThat(CpuMeter.clockTicksPerSecond()).isPositive();
    }

    @Test
    void aTreeWhoseRootEndedOrWasReplacedIsNotMeasured() {
        FakeProc proc = new FakeProc(dir)
                .process(100, "java", 1, 500, 0, 40)
                .process(200, "postgres", 1, 300, 0, 41);
        CpuMeter meter = new CpuMeter(dir, List.of(new CpuMeter.Tree("relay", 100),
                new CpuMeter.Tree("database", 200)), 100);
        CpuMeter.Reading start = meter.read(() -> 0);
        proc.remove(100);
        proc.process(200, "postgres", 1, 10, 0, 99); // the pid of a later process

        CpuUsage usage = meter.between(start, meter.read(() -> 0));

        assertThat(usage.seconds("relay")).isEmpty();
        assertThat(usage.seconds("database")).isEmpty();
        assertThat(usage.trees()).extracting(CpuUsage.TreeUsage::problem)
                .allSatisfy(problem -> assertThat(problem).contains("not running"));
    }

    @Test
    void convertsTicksToSecondsWithTheClockRate() {
        FakeProc proc = new FakeProc(dir).process(100, "java", 1, 500, 0, 40);
        CpuMeter meter = new CpuMeter(dir, List.of(new CpuMeter.Tree("relay", 100)), 100);
        CpuMeter.Reading start = meter.read(() -> 0);
        proc.process(100, "java", 1, 750, 0, 40);

        assertThat(meter.between(start, meter.read(() -> 0)).seconds("relay")).hasValue(2.5);
    }
}
