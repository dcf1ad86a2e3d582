package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableTest {
    @TempDir
    Path dir;

    @Test
    void aTreeIsTheRootAndAllItsDescendants() throws Exception {
        FakeProc proc = new FakeProc(dir)
                .process(1, "systemd", 0, 5, 0, 1)
                .process(100, "postgres", 1, 10, 3, 50)
                .process(101, "postgres: checkpointer", 100, 20, 0, 51)
                .process(102, "postgres: postgres postgres 127.0.0.1(55360) idle", 100, 30, 0, 52)
                .process(103, "sh", 102, 1, 0, 53)
                .process(200, "postgres", 1, 1000, 0, 60);
        Files.createDirectories(dir.resolve("self"));

        ProcessTable table = ProcessTable.read(proc.root());

        assertThat(table.tree(100)).extracting(ProcessStat::pid).containsExactlyInAnyOrder(100L, 101L, 102L, 103L);
        assertThat(table.processes()).hasSize(6);
    }

    @Test
    void readsOnlyTheProcessesAskedFor() {
        new FakeProc(dir).process(1, "systemd", 0, 5, 0, 1).process(100, "postgres", 1, 10, 3, 50);

        ProcessTable table = ProcessTable.read(dir, List.of(100L, 4242L));

        assertThat(table.processes()).extracting(ProcessStat::pid).containsExactly(100L);
    }

    @Test
    void aTreeWhoseRootIsNotRunningHasNoTicks() {
        new FakeProc(dir).process(1, "systemd", 0, 5, 0, 1);

        ProcessTable table = ProcessTable.read(dir);

        assertThat(table.tree(4242)).isEmpty();
    }

    @Test
    void withoutProcTheTableIsEmpty() {
        ProcessTable table = ProcessTable.read(dir.resolve("no-such-proc"));

        assertThat(table.processes()).isEmpty();
        assertThat(table.tree(1)).isEmpty();
    }

    @Test
    void readsThisMachinesProcWithThisProcessInIt() {
        ProcessTable table = ProcessTable.read(Path.of("/proc"));

        assertThat(table.process(ProcessHandle.current().pid())).isPresent();
        assertThat(table.tree(ProcessHandle.current().pid())).isNotEmpty();
    }
}
