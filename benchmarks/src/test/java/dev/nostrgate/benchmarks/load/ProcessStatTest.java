package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessStatTest {
    /** Builds a stat line as the kernel writes it, with the CPU fields (14 to 17) and start time (22) given. */
    static String statLine(long pid, String command, long parent, long utime, long stime, long cutime, long cstime,
            long start) {
        return pid + " (" + command + ") S " + parent + " 2216 2216 0 -1 4194368 1358 0 0 0 " + utime + " " + stime
                + " " + cutime + " " + cstime + " 20 0 1 0 " + start + " 226066432 9338 18446744073709551615 "
                + "94841135648768 94841141105113 140720647669264 0 0 0 4194304 24145920 536873479 1 0 0 17 1 0 0 0 "
                + "0 0";
    }

    @Test
    void readsTheCpuFieldsAfterACommandNameWithSpacesAndParentheses() {
        ProcessStat stat = ProcessStat.parse(statLine(1234, "postgres: a (b)", 1, 11, 59, 300, 45, 3285));

        assertThat(stat.pid()).isEqualTo(1234);
        assertThat(stat.command()).isEqualTo("postgres: a (b)");
        assertThat(stat.parentPid()).isEqualTo(1);
        assertThat(stat.cpuTicks()).isEqualTo(11 + 59);
        assertThat(stat.childrenCpuTicks()).isEqualTo(300 + 45);
        assertThat(stat.totalTicks()).isEqualTo(11 + 59 + 300 + 45);
        assertThat(stat.startTicks()).isEqualTo(3285);
    }

    @Test
    void readsACommandNameThatLooksLikeTheFieldsAfterIt() {
        ProcessStat stat = ProcessStat.parse(statLine(7, ") S 99 1 2 3", 2, 1, 2, 3, 4, 5));

        assertThat(stat.command()).isEqualTo(") S 99 1 2 3");
        assertThat(stat.parentPid()).isEqualTo(2);
        assertThat(stat.totalTicks()).isEqualTo(10);
    }

    @Test
    void readsTheLineOfThisProcess() throws Exception {
        String line = Files.readString(Path.of("/proc/self/stat")).strip();

        ProcessStat stat = ProcessStat.parse(line);

        assertThat(stat.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(stat.command()).isNotEmpty();
    }

    @Test
    void refusesALineThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessStat.parse("1234 cat R 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessStat.parse("1234 (cat) R 1 2 3")).hasMessageContaining("too few fields");
        assertThatThrownBy(() -> ProcessStat.parse(statLine(1, "x", 0, 1, 2, 3, 4, 5).replace("(x) S 0", "(x) S ?")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
