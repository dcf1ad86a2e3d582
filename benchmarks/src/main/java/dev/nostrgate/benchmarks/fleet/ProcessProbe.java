package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.load.ProcessStat;
import dev.nostrgate.benchmarks.load.ProcessTable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What {@code /proc} says about the processes the fleet benchmark watches: CPU time (own and that of reaped
 * children, in clock ticks), and threads grouped by name. A thread's name is its {@code comm}, which the JVM sets
 * from the Java name, cut to 15 characters; runs of digits become {@code #}, so that a pool's threads
 * ({@code pool-3-thread-17}) count as one group ({@code pool-#-thread-#}).
 */
public final class ProcessProbe {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final Path proc;

    public ProcessProbe(Path proc) {
        this.proc = proc;
    }

    /** utime + stime + cutime + cstime of the process; 0 if it is gone. */
    public long cpuTicks(long pid) {
        return ProcessTable.read(proc, List.of(pid)).process(pid).map(ProcessStat::totalTicks).orElse(0L);
    }

    /**
     * The processes whose command is {@code command} ({@code beam.smp}, {@code postgres}), and their CPU ticks
     * summed: for PostgreSQL the postmaster's reaped children are its ended backends, the live ones count on their
     * own.
     */
    public Named named(String command) {
        List<Long> pids = new ArrayList<>();
        long ticks = 0;
        for (ProcessStat process : ProcessTable.read(proc).processes()) {
            if (process.command().equals(command)) {
                pids.add(process.pid());
                ticks += process.totalTicks();
            }
        }
        return new Named(command, List.copyOf(pids), ticks);
    }

    /** Processes of one command at one reading. */
    public record Named(String command, List<Long> pids, long ticks) {
    }

    /**
     * The CPU ticks of the oldest process whose command is {@code command}: RabbitMQ's node is {@code beam.smp},
     * and so is every {@code rabbitmqctl} that runs meanwhile, for a second or two; the node started first.
     */
    public long oldestTicks(String command) {
        return ProcessTable.read(proc).processes().stream().filter(process -> process.command().equals(command))
                .min(Comparator.comparingLong(ProcessStat::startTicks)).map(ProcessStat::totalTicks)
                .orElse(0L);
    }

    /** The process's threads by group name, and how many of each. */
    Map<String, Integer> threadCounts(long pid) {
        Map<String, Integer> counts = new TreeMap<>();
        threads(pid).forEach(thread -> counts.merge(group(thread.command()), 1, Integer::sum));
        return counts;
    }

    /** Each thread's CPU ticks so far, by thread id, with its group name. */
    Map<Long, ThreadTicks> threadTicks(long pid) {
        Map<Long, ThreadTicks> ticks = new TreeMap<>();
        threads(pid).forEach(thread -> ticks.put(thread.pid(), new ThreadTicks(group(thread.command()),
                thread.cpuTicks())));
        return ticks;
    }

    /** One thread's group name and CPU ticks. */
    record ThreadTicks(String group, long ticks) {
    }

    /** The CPU ticks each group spent between two readings of {@link #threadTicks}; new threads count whole. */
    static Map<String, Long> ticksBetween(Map<Long, ThreadTicks> before, Map<Long, ThreadTicks> after) {
        Map<String, Long> spent = new TreeMap<>();
        after.forEach((tid, now) -> {
            ThreadTicks then = before.get(tid);
            long earlier = then != null && then.group().equals(now.group()) ? then.ticks() : 0;
            spent.merge(now.group(), now.ticks() - earlier, Long::sum);
        });
        return spent;
    }

    static String group(String threadName) {
        return DIGITS.matcher(threadName).replaceAll("#");
    }

    private List<ProcessStat> threads(long pid) {
        List<ProcessStat> threads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                try {
                    threads.add(ProcessStat.parse(Files.readString(task.resolve("stat")).strip()));
                } catch (IOException | IllegalArgumentException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return List.of(); // the process is gone
        }
        return threads;
    }
}
