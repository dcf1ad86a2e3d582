package dev.nostrgate.benchmarks.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway under test in a JVM of its own ({@code java -Xmx1g -jar nostr-gateway-exec.jar}), as an operator runs
 * it, so that its heap, threads and CPU time are its own and not the benchmark's. Every start appends to one log
 * file. {@link #stop()} is SIGTERM, the graceful stop the gateway's README describes, then SIGKILL after a minute.
 */
public final class GatewayProcess {
    private static final Pattern HEAP_USED = Pattern.compile("(?:total|committed) (\\d+)K, used (\\d+)K");

    private final Path jar;
    private final Path log;
    private final List<String> arguments;
    private final Path javaHome = Path.of(System.getProperty("java.home"));
    private Process process;

    public GatewayProcess(Path jar, Path log, List<String> arguments) {
        this.jar = jar;
        this.log = log;
        this.arguments = List.copyOf(arguments);
    }

    public void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xmx1g",
                "--enable-native-access=ALL-UNNAMED"));
        // GATEWAY_JAVA_OPTS: more JVM options for the gateway under test, after these (a JFR recording, a GC)
        String extra = System.getenv("GATEWAY_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        process = new ProcessBuilder(command).directory(log.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute; returns the seconds the stop took. */
    public double stop() throws InterruptedException {
        if (!alive()) {
            return 0;
        }
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            System.out.println("the gateway did not stop within 60 s of SIGTERM: killing it");
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** For the shutdown hook: whatever state the run is in, nothing it started outlives it. */
    void kill() {
        if (alive()) {
            process.destroyForcibly();
        }
    }

    /** A full collection, then the heap's size and what is used after it, as {@code jcmd GC.heap_info} says. */
    Heap heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IOException("jcmd GC.heap_info said no heap total: " + info);
        }
        return new Heap(Long.parseLong(used.group(1)) / 1024.0, Long.parseLong(used.group(2)) / 1024.0,
                info.lines().findFirst().orElse("").strip());
    }

    /** Megabytes reserved for the heap (committed) and used, and the first line of heap_info. */
    record Heap(double committedMb, double usedMb, String line) {
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + pid() + " " + command + " failed: " + output);
        }
        return output;
    }
}
