package dev.nostrgate.benchmarks.load;

/**
 * The fields of one {@code /proc/<pid>/stat} line that CPU accounting needs (proc(5) numbers them from 1).
 *
 * @param pid field 1
 * @param command field 2, the command name without its parentheses ({@code postgres}, {@code java})
 * @param parentPid field 4
 * @param cpuTicks fields 14 and 15, {@code utime + stime}: the CPU time of the process itself, all its threads
 * @param childrenCpuTicks fields 16 and 17, {@code cutime + cstime}: the CPU time of its children that ended and
 *     that it waited for (a PostgreSQL postmaster waits for its backends)
 * @param startTicks field 22, when it started after boot: with the pid, tells a process from a later one that
 *     was given the same pid
 */
public record ProcessStat(long pid, String command, long parentPid, long cpuTicks, long childrenCpuTicks,
        long startTicks) {

    /** Its own CPU time and that of the children it reaped, in clock ticks. */
    public long totalTicks() {
        return cpuTicks + childrenCpuTicks;
    }

    /**
     * Reads one stat line.
     *
     * @throws IllegalArgumentException if it is not laid out as proc(5) says
     */
    public static ProcessStat parse(String line) {
        // The command name may hold spaces and parentheses ("postgres: a (b)"), but it is the only field that can:
        // it runs from the first '(' to the last ')'.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open || close + 2 > line.length()) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] after = line.substring(close + 2).trim().split(" +");
        if (after.length < 20) {
            throw new IllegalArgumentException("too few fields in a /proc/<pid>/stat line: " + line);
        }
        try {
            return new ProcessStat(
                    Long.parseLong(line.substring(0, open).trim()),
                    line.substring(open + 1, close),
                    Long.parseLong(after[field(4)]),
                    Long.parseLong(after[field(14)]) + Long.parseLong(after[field(15)]),
                    Long.parseLong(after[field(16)]) + Long.parseLong(after[field(17)]),
                    Long.parseLong(after[field(22)]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line, e);
        }
    }

    /** The index, among the fields after the command name, of proc(5)'s field {@code number}. */
    private static int field(int number) {
        return number - 3;
    }
}
