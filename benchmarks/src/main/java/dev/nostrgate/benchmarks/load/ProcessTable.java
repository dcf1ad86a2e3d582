package dev.nostrgate.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processes of this machine at one moment, as {@code /proc/<pid>/stat} shows them, with who is whose parent.
 * A process that ends while the table is read is simply not in it; without {@code /proc} the table is empty.
 */
public final class ProcessTable {
    private final Map<Long, ProcessStat> byPid = new HashMap<>();
    private final Map<Long, List<ProcessStat>> children = new HashMap<>();

    ProcessTable(Collection<ProcessStat> processes) {
        for (ProcessStat process : processes) {
            byPid.put(process.pid(), process);
            children.computeIfAbsent(process.parentPid(), parent -> new ArrayList<>()).add(process);
        }
    }

    /** Reads every {@code <proc>/<pid>/stat}; {@code proc} is {@code /proc} but for tests. */
    public static ProcessTable read(Path proc) {
        List<ProcessStat> processes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, entry -> isNumber(entry.getFileName()
                .toString()))) {
            for (Path entry : entries) {
                readStat(entry.resolve("stat")).ifPresent(processes::add);
            }
        } catch (IOException e) {
            return new ProcessTable(List.of()); // no /proc: nothing to account, and the run goes on
        }
        return new ProcessTable(processes);
    }

    /**
     * Reads {@code <proc>/<pid>/stat} of the given processes only: a few files where {@link #read(Path)} reads
     * them all, so that a reading is taken at one moment even on a busy machine.
     */
    public static ProcessTable read(Path proc, Collection<Long> pids) {
        List<ProcessStat> processes = new ArrayList<>();
        for (long pid : pids) {
            readStat(proc.resolve(Long.toString(pid)).resolve("stat")).ifPresent(processes::add);
        }
        return new ProcessTable(processes);
    }

    public Optional<ProcessStat> process(long pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    public Collection<ProcessStat> processes() {
        return byPid.values();
    }

    /** The process and all its descendants alive now; empty if the process is not. */
    List<ProcessStat> tree(long root) {
        List<ProcessStat> tree = new ArrayList<>();
        // The stat files are read one after another, not at one instant: with a pid reused in between, parents
        // could form a loop. Each process is taken once.
        Set<Long> seen = new HashSet<>();
        Deque<ProcessStat> pending = new ArrayDeque<>();
        process(root).ifPresent(pending::add);
        while (!pending.isEmpty()) {
            ProcessStat process = pending.poll();
            if (seen.add(process.pid())) {
                tree.add(process);
                pending.addAll(children.getOrDefault(process.pid(), List.of()));
            }
        }
        return tree;
    }

    private static Optional<ProcessStat> readStat(Path stat) {
        try {
            return Optional.of(ProcessStat.parse(Files.readString(stat).strip()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // it ended between the listing and the read
        }
    }

    private static boolean isNumber(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
