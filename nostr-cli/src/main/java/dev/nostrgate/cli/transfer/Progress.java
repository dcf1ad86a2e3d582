package dev.nostrgate.cli.transfer;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far an export or import is: on a terminal a progress bar (count, rate, ETA when the total is known, from the
 * progressbar library), otherwise, for logs and pipes, a plain line every few seconds. Both on stderr, so that
 * stdout carries only events.
 */
public final class Progress implements AutoCloseable {
    /** How often a plain progress line is printed. */
    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);

    private final String task;
    private final String unit;
    private final ProgressBar bar;
    private final PrintWriter lines;
    private final long startNanos = System.nanoTime();
    private long count;
    private long lastLineNanos = startNanos;

    private Progress(String task, String unit, ProgressBar bar, PrintWriter lines) {
        this.task = task;
        this.unit = unit;
        this.bar = bar;
        this.lines = lines;
    }

    /**
     * A bar when stderr is a terminal, plain lines otherwise.
     *
     * @param unit what is counted ({@code events}, {@code lines})
     * @param total the expected count, or -1 if unknown (no ETA then)
     * @param err the command's stderr, for the plain lines (the bar draws on the process's own stderr)
     */
    public static Progress start(String task, String unit, long total, boolean quiet, PrintWriter err) {
        if (quiet) {
            return new Progress(task, unit, null, null);
        }
        if (stderrIsTerminal()) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            return new Progress(task, unit, bar, null);
        }
        return new Progress(task, unit, null, err);
    }

    /**
     * True if stderr is a terminal, as ./nostr tells ({@code -Dnostr.stderr.terminal=true}, from {@code [[ -t 2 ]]});
     * run without it, when there is a console (stdin and stdout a terminal: JDK 21's test).
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("nostr.stderr.terminal");
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    public void step(long n) {
        count += n;
        if (bar != null) {
            bar.stepBy(n);
        } else if (lines != null) {
            long now = System.nanoTime();
            if (now - lastLineNanos >= LINE_INTERVAL.toNanos()) {
                lastLineNanos = now;
                lines.println(line(now));
                lines.flush();
            }
        }
    }

    private String line(long now) {
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        return String.format("nostr: %s: %,d %s, %,.0f/s, %.0f s", task, count, unit, count / seconds, seconds);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else if (lines != null) {
            lines.println(line(System.nanoTime()));
            lines.flush();
        }
    }
}
