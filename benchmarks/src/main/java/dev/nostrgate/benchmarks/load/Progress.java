package dev.nostrgate.benchmarks.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The driver's clock: waits for a condition up to a deadline, and prints a progress line every few seconds while
 * it does. Checks every few milliseconds; the numbers a run reports are timed where they happen, on the event
 * loops, not here.
 */
final class Progress {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final PrintStream out;
    private final long everyNanos;
    private long next;

    Progress(PrintStream out, Duration every) {
        this.out = out;
        this.everyNanos = every.toNanos();
        restart();
    }

    /** The next line is due one interval from now. */
    void restart() {
        next = System.nanoTime() + everyNanos;
    }

    /** Prints the line if one is due. */
    void tick(Supplier<String> line) {
        long now = System.nanoTime();
        if (now - next >= 0) {
            out.println(line.get());
            next = now + everyNanos;
        }
    }

    /** Prints a line now. */
    void say(String line) {
        out.println(line);
    }

    /** Waits until the condition holds (true) or the deadline passes (false), printing progress meanwhile. */
    boolean awaitUntil(BooleanSupplier done, long deadlineNanos, Supplier<String> line) {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            tick(line);
            LockSupport.parkNanos(Math.min(POLL_NANOS, left));
        }
        return true;
    }
}
