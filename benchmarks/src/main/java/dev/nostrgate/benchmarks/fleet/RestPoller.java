package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.load.Latency;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator does while the gateway starts its relays: one request, again and again every period, on a thread
 * of its own, each answer's latency recorded (a request slower than the period delays the next one; the schedule
 * then catches up without waiting). The benchmark runs a few: a relay looked up every 50 ms, the dashboard's
 * overview and the first page of the relay list every 500 ms (a few operators' dashboards).
 */
final class RestPoller implements AutoCloseable {
    /** One request; the HTTP status it was answered with (200 is expected). */
    interface Request {
        int send() throws IOException;
    }

    private final String name;
    private final String uri;
    private final long periodNanos;
    private final Request request;
    private final Latency latency = new Latency();
    private final AtomicLong failures = new AtomicLong();
    private volatile String firstFailure;
    /** The slowest answers, kept to tell a cold first request from a straggler in the middle of the start. */
    private final List<Slow> slowest = new ArrayList<>();
    private final long startedAt = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code uri}: the path as the gateway's request metrics name it ({@code /api/relays/{id}}). */
    RestPoller(String name, long periodMillis, String uri, Request request) {
        this.name = name;
        this.uri = uri;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.request = request;
        this.thread = Thread.ofPlatform().name("rest-poller " + name).daemon().start(this::poll);
    }

    /** What it asks and how often, as the benchmark's report names it. */
    String name() {
        return name;
    }

    /** The path as the gateway's request metrics name it. */
    String uri() {
        return uri;
    }

    Latency latency() {
        return latency;
    }

    long failures() {
        return failures.get();
    }

    /** What the first failed request got (a status or an exception), if one failed. */
    Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure);
    }

    /** The {@value #SLOWEST} slowest answers, slowest first: latency and when it was asked, from the first. */
    String slowest() {
        synchronized (slowest) {
            return slowest.stream().map(slow -> String.format(Locale.ROOT, "%.0f ms at +%.1f s",
                    slow.nanos() / 1e6, (slow.askedAt() - startedAt) / 1e9)).toList().toString();
        }
    }

    private static final int SLOWEST = 3;

    private record Slow(long nanos, long askedAt) {
    }

    private void recordSlow(long nanos, long askedAt) {
        synchronized (slowest) {
            slowest.add(new Slow(nanos, askedAt));
            slowest.sort(Comparator.comparingLong(Slow::nanos).reversed());
            if (slowest.size() > SLOWEST) {
                slowest.remove(SLOWEST);
            }
        }
    }

    private void poll() {
        long due = System.nanoTime();
        while (running) {
            due += periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            long start = System.nanoTime();
            try {
                int status = request.send();
                if (status == 200) {
                    long nanos = System.nanoTime() - start;
                    latency.recordNanos(nanos);
                    recordSlow(nanos, start);
                } else {
                    failed("HTTP " + status);
                }
            } catch (IOException e) {
                if (running) { // else close() interrupted a request in flight: not the gateway's failure
                    failed(e.toString());
                }
            }
        }
    }

    private void failed(String what) {
        if (failures.getAndIncrement() == 0) {
            firstFailure = what;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(35));
    }
}
