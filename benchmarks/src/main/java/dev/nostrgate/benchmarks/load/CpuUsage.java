package dev.nostrgate.benchmarks.load;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What each process tree spent in CPU time over one measured phase, and the rows that say so in a {@link Report}:
 * per tree its pid, CPU seconds and cores kept busy on average, and per unit of work (1,000 REQs, 1,000 events) the
 * CPU milliseconds of the relay, of the database and of the two together ({@code system}).
 *
 * @param wallSeconds the time between the two readings
 * @param work the work done between them (REQs answered, events accepted)
 * @param ticksPerSecond USER_HZ
 * @param trees per tree, in the meter's order
 */
record CpuUsage(double wallSeconds, long work, long ticksPerSecond, List<TreeUsage> trees) {
    /** Names of the trees whose sum is the system's CPU per unit of work (the generator is the test rig). */
    static final List<String> SYSTEM = List.of("relay", "database");

    /**
     * One tree's CPU time over the phase.
     *
     * @param ticks empty when it could not be measured
     * @param problem why not; empty when it was
     */
    record TreeUsage(CpuMeter.Tree tree, OptionalLong ticks, String problem) {
    }

    /** CPU seconds of the named tree, if it was measured. */
    Optional<Double> seconds(String name) {
        return trees.stream().filter(usage -> usage.tree().name().equals(name) && usage.ticks().isPresent())
                .findFirst().map(usage -> usage.ticks().getAsLong() / (double) ticksPerSecond);
    }

    /**
     * Adds the rows of {@link #addTo(Report)}, the work done between the readings ({@code cpu_window_<unit>}), and,
     * if there was some, {@code cpu_ms_per_1000_<unit>_<name>} for the relay and the database and
     * {@code ..._system} for their sum when both were measured.
     */
    void addTo(Report report, String unit) {
        add(report, Optional.of(unit));
    }

    /** Adds the rows {@code <name>_pid}, {@code cpu_window_s}, {@code cpu_s_<name>}, {@code cores_busy_<name>}. */
    void addTo(Report report) {
        add(report, Optional.empty());
    }

    private void add(Report report, Optional<String> unit) {
        trees.forEach(usage -> report.count(usage.tree().name() + "_pid", usage.tree().pid()));
        report.number("cpu_window_s", wallSeconds);
        unit.ifPresent(u -> report.count("cpu_window_" + u, work));
        for (TreeUsage usage : trees) {
            String name = usage.tree().name();
            seconds(name).ifPresentOrElse(s -> report.number("cpu_s_" + name, s),
                    () -> report.text("cpu_s_" + name, usage.problem()));
        }
        for (TreeUsage usage : trees) {
            seconds(usage.tree().name()).ifPresent(s -> report.number("cores_busy_" + usage.tree().name(),
                    wallSeconds <= 0 ? 0 : s / wallSeconds));
        }
        if (unit.isEmpty() || work <= 0) {
            return;
        }
        String prefix = "cpu_ms_per_1000_" + unit.get() + "_";
        double perThousandUnits = 1_000_000.0 / work; // seconds -> milliseconds, per unit -> per 1,000 units
        double system = 0;
        boolean systemComplete = true;
        for (String name : SYSTEM) {
            Optional<Double> seconds = seconds(name);
            seconds.ifPresent(s -> report.number(prefix + name, s * perThousandUnits));
            systemComplete &= seconds.isPresent();
            system += seconds.orElse(0.0);
        }
        if (systemComplete) {
            report.number(prefix + "system", system * perThousandUnits);
        }
    }
}
