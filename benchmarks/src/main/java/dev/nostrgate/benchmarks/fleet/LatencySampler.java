package dev.nostrgate.benchmarks.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Asks one REST endpoint again and again, one request at a time with a pause between, and keeps how long each
 * answer took (an error or a timeout counts as the time it took). A latency here is what an operator's dashboard
 * would wait.
 */
final class LatencySampler implements Runnable {
    private final String name;
    private final Supplier<URI> target;
    private final Duration pause;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private Thread thread;

    LatencySampler(String name, Supplier<URI> target, Duration pause) {
        this.name = name;
        this.target = target;
        this.pause = pause;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("sampler " + name).start(this);
    }

    @Override
    public void run() {
        while (running) {
            long start = System.nanoTime();
            try {
                http.send(HttpRequest.newBuilder(target.get()).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) {
                // not up yet, or timed out: the wait counts all the same
            } catch (InterruptedException e) {
                return;
            }
            micros.add((System.nanoTime() - start) / 1_000);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops after the request in progress, and returns "name: n samples, p50 .. p99 .. max ..". */
    String stop() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(70));
        List<Long> sorted;
        synchronized (micros) {
            sorted = new ArrayList<>(micros);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return name + ": no samples";
        }
        return String.format("%s: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms", name, sorted.size(),
                quantile(sorted, 0.50) / 1e3, quantile(sorted, 0.99) / 1e3, sorted.getLast() / 1e3);
    }

    private static long quantile(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
