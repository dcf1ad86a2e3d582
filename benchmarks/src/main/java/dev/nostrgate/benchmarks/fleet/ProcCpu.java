package dev.nostrgate.benchmarks.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** CPU time of processes from {@code /proc}: a JVM by pid, a server (PostgreSQL, RabbitMQ) by its command name. */
final class ProcCpu {
    private ProcCpu() {
    }

    /** utime + stime of one process, all threads, in clock ticks (proc(5) fields 14 and 15). */
    static long ticks(long pid) throws IOException {
        return fields(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")))[0];
    }

    /** utime + stime summed over every process whose command name is one of these (all of PostgreSQL's backends). */
    static long ticksOf(List<String> commands) throws IOException {
        long sum = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    String command = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (commands.contains(command)) {
                        sum += fields(stat)[0];
                    }
                } catch (IOException | RuntimeException gone) {
                    // ended while we listed, or not ours to read
                }
            }
        }
        return sum;
    }

    private static long[] fields(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // after[0] is field 3 (state): field n is after[n - 3]
        return new long[] {Long.parseLong(after[11]) + Long.parseLong(after[12])};
    }
}
