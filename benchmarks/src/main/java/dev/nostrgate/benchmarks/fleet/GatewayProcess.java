package dev.nostrgate.benchmarks.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway under test, as a JVM of its own (its executable jar), so that its threads, heap and CPU are its own
 * and not the benchmark's. Read from outside: {@code /proc/<pid>} and {@code jcmd}, as an operator would.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Path jdk;
    private final Process process;

    private GatewayProcess(Path jdk, Process process) {
        this.jdk = jdk;
        this.process = process;
    }

    /** Starts {@code java <jvmOptions> -jar jar <arguments>}, its output appended to the log. */
    static GatewayProcess start(Path jar, List<String> jvmOptions, List<String> arguments, Path log)
            throws IOException {
        Path jdk = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin/java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new GatewayProcess(jdk, process);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Live platform threads (virtual threads are not in /proc), counted by name without its trailing number. */
    Map<String, Integer> threadsByName() throws IOException {
        Map<String, Integer> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    byName.merge(name.replaceAll("[-#\\s]*\\d+$", ""), 1, Integer::sum);
                } catch (IOException gone) {
                    // the thread ended while we listed
                }
            }
        }
        return byName;
    }

    /** utime + stime of the whole JVM, in clock ticks. */
    long cpuTicks() throws IOException {
        return ProcCpu.ticks(pid());
    }

    /** Runs a full GC in the gateway, then reads the heap in use: what is live. */
    long heapAfterGcBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IOException("no 'used NK' in jcmd GC.heap_info");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(jdk.resolve("bin/jcmd").toString(), String.valueOf(pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        return out;
    }

    /** SIGTERM (a graceful stop), then waits for the exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
