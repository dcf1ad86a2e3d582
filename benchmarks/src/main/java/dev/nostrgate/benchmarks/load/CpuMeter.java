package dev.nostrgate.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The CPU time that named process trees (the relay, its database, this generator) spend between two readings of
 * {@code /proc}, so that a run can say what its work cost the whole system and not only the relay's JVM: a change
 * that moves work from Java into PostgreSQL shows as no gain.
 *
 * <p>A tree is a root process and its descendants alive at a reading; its CPU time so far is the sum, over them,
 * of their own time and that of the children they reaped. The difference between two readings is the tree's CPU
 * time in between, members that started or ended meanwhile included, as long as whoever reaps an ended member is
 * in the tree too (a postmaster reaps its backends).
 */
public final class CpuMeter {
    /** USER_HZ when {@code getconf} cannot tell: 100 on every mainstream Linux build, whatever the kernel's HZ. */
    static final long DEFAULT_CLOCK_TICKS = 100;

    /** A process tree to account: its name in the report ({@code relay}, {@code database}, {@code generator}). */
    record Tree(String name, long pid) {
    }

    /** One tree at one reading: its root's start time (a restart is not a continuation) and its ticks so far. */
    record TreeTicks(long rootStartTicks, long ticks) {
    }

    /**
     * One reading: when ({@link System#nanoTime()}), how much work the run had done by then (REQs answered, events
     * accepted: whatever the caller counts), and every tree whose root was alive, by name.
     */
    record Reading(long nanos, long workDone, Map<String, TreeTicks> trees) {
    }

    private final Path proc;
    private final List<Tree> trees;
    private final long ticksPerSecond;

    CpuMeter(Path proc, List<Tree> trees, long ticksPerSecond) {
        this.proc = proc;
        this.trees = List.copyOf(trees);
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * Reads every tree, and {@code workDone} right after. Finding a tree's members takes a pass over all of
     * {@code /proc}, tens of milliseconds on a busy machine; their CPU times are then read again, a few files,
     * so that the reading is of one moment and the work counted at that moment matches it.
     */
    Reading read(LongSupplier workDone) {
        ProcessTable all = ProcessTable.read(proc);
        Map<String, List<Long>> members = new LinkedHashMap<>();
        for (Tree tree : trees) {
            members.put(tree.name(), all.tree(tree.pid()).stream().map(ProcessStat::pid).toList());
        }
        ProcessTable now = ProcessTable.read(proc, members.values().stream().flatMap(List::stream).toList());
        long nanos = System.nanoTime();
        long work = workDone.getAsLong();
        Map<String, TreeTicks> read = new LinkedHashMap<>();
        for (Tree tree : trees) {
            // a member that ended since the pass is in the CPU time of the member that reaped it
            long ticks = members.get(tree.name()).stream().flatMap(pid -> now.process(pid).stream())
                    .mapToLong(ProcessStat::totalTicks).sum();
            now.process(tree.pid()).ifPresent(root -> read.put(tree.name(), new TreeTicks(root.startTicks(), ticks)));
        }
        return new Reading(nanos, work, read);
    }

    /**
     * {@link #read} on a thread of its own: an event loop marks the start of a measured phase with this and goes
     * on answering frames instead of waiting for {@code /proc}. The work done is counted at the reading, so that
     * what the phase did before it is not put on the CPU time after it.
     */
    CompletableFuture<Reading> readAside(LongSupplier workDone) {
        return CompletableFuture.supplyAsync(() -> read(workDone),
                task -> Thread.ofPlatform().daemon().name("cpu-reading").start(task));
    }

    /** What each tree spent from {@code start} to {@code end}. */
    CpuUsage between(Reading start, Reading end) {
        List<CpuUsage.TreeUsage> usage = new ArrayList<>();
        for (Tree tree : trees) {
            TreeTicks before = start.trees().get(tree.name());
            TreeTicks after = end.trees().get(tree.name());
            if (before == null || after == null || before.rootStartTicks() != after.rootStartTicks()) {
                String when = before == null ? "at the start of the measured phase" : "at its end";
                usage.add(new CpuUsage.TreeUsage(tree, OptionalLong.empty(), "pid " + tree.pid() + " not running "
                        + when + " (or not readable in " + proc + ")"));
            } else {
                usage.add(new CpuUsage.TreeUsage(tree,
                        OptionalLong.of(after.ticks() - before.ticks()), ""));
            }
        }
        return new CpuUsage((end.nanos() - start.nanos()) / 1e9, end.workDone() - start.workDone(), ticksPerSecond,
                usage);
    }

    /**
     * USER_HZ, the unit of the CPU times in {@code /proc}, as {@code getconf CLK_TCK} says, or
     * {@link #DEFAULT_CLOCK_TICKS} when it cannot be asked: the kernel keeps that value fixed for user space, and a
     * wrong guess would only scale the CPU rows, never stop the run.
     */
    public static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String answer = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                long ticks = Long.parseLong(answer);
                return ticks > 0 ? ticks : DEFAULT_CLOCK_TICKS;
            }
            getconf.destroy();
            return DEFAULT_CLOCK_TICKS;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_CLOCK_TICKS; // no getconf (a minimal image): the default is right on every mainstream one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_CLOCK_TICKS;
        }
    }
}
