package dev.nostrgate.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.api.ApiClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in a real browser: a whole gateway with two upstream relays publishing, and
 * {@code src/test/browser/dashboard-check.js} driving Debian's headless Chromium through playwright-core (load
 * without console errors or failed requests, add a relay through the form, see the rate chart move, a refusal's
 * detail, pause, resume, remove). The screenshot is {@code target/dashboard.png}.
 *
 * <p>Skipped where Chromium or node is missing, except in CI ({@code CI} set), where that is a broken machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final Path BROWSER_TEST = Path.of("src/test/browser");
    private static final Path SCREENSHOT = Path.of("target/dashboard.png");
    private static final SecKey ALICE = SecKey.generate();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.overview-interval", () -> "1s");
        registry.add("gateway.stats-flush-interval", () -> "1s");
        registry.add("gateway.sink-max-delay", () -> "10ms");
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @LocalServerPort
    int port;

    @Test
    void theDashboardWorksInChromium() throws Exception {
        Path chromium = Path.of(Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium"));
        Optional<Path> node = onPath("node");
        required(Files.isExecutable(chromium), chromium + " (apt-get install chromium fonts-liberation)");
        required(node.isPresent(), "node on the PATH (apt-get install nodejs npm)");
        installPlaywright();
        Files.deleteIfExists(SCREENSHOT);

        ApiClient api = new ApiClient(port);
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try (FakeRelay seeded = FakeRelay.start(); FakeRelay added = FakeRelay.start()) {
            ApiClient.Reply reply = api.post("/api/relays", ApiClient.json(Map.of("url", seeded.url().toString(),
                    "name", "registered before the page opened")));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            // a steady trickle on both upstreams, about 25 and 50 events a second
            AtomicInteger n = new AtomicInteger();
            publisher.scheduleAtFixedRate(() -> {
                int i = n.incrementAndGet();
                seeded.store(note("seeded " + i));
                added.store(note("added " + i), note("added " + i + "b"));
            }, 0, 40, TimeUnit.MILLISECONDS);

            Path log = Path.of("target/dashboard-check.log");
            Process check = new ProcessBuilder(node.get().toString(), "dashboard-check.js", "http://127.0.0.1:" + port,
                    added.url().toString(), SCREENSHOT.toAbsolutePath().toString())
                    .directory(BROWSER_TEST.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = check.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                check.destroyForcibly().waitFor();
            }
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(ended).as("dashboard-check.js did not end within 3 minutes:\n" + output).isTrue();
            assertThat(check.exitValue()).as(output).isZero();
            assertThat(SCREENSHOT).isNotEmptyFile();
        } finally {
            publisher.shutdownNow();
        }
    }

    private static dev.nostrgate.core.event.Event note(String text) {
        return new UnsignedEvent(ALICE.pubKey(), System.currentTimeMillis() / 1000, 1, List.of(), text).sign(ALICE);
    }

    /** A missing browser or node skips the test on a developer's machine and fails it in CI. */
    private static void required(boolean present, String what) {
        if (System.getenv("CI") != null) {
            assertThat(present).as("CI needs " + what).isTrue();
        } else {
            assumeThat(present).as("the browser test needs " + what).isTrue();
        }
    }

    private static Optional<Path> onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }

    /** {@code npm ci} once: node_modules stays for the next run (and is ignored by git). */
    private static void installPlaywright() throws IOException, InterruptedException {
        if (Files.isDirectory(BROWSER_TEST.resolve("node_modules/playwright-core"))) {
            return;
        }
        Optional<Path> npm = onPath("npm");
        required(npm.isPresent(), "npm on the PATH");
        Process install = new ProcessBuilder(npm.get().toString(), "ci", "--no-audit", "--no-fund",
                "--loglevel=error").directory(BROWSER_TEST.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of("target/dashboard-npm-ci.log").toFile()).start();
        assertThat(install.waitFor(5, TimeUnit.MINUTES)).as("npm ci within 5 minutes").isTrue();
        assertThat(install.exitValue()).as(Files.readString(Path.of("target/dashboard-npm-ci.log"))).isZero();
    }
}
