package dev.nostrgate.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with an independent client: nostr-tools (from npm, installed here with {@code npm ci} from the
 * lock file in {@code src/test/interop}) publishes, queries, subscribes live, publishes a tampered event,
 * authenticates, and reconciles a set with its own NIP-77 negentropy client against a running relay; its script
 * prints one JSON line that this test checks.
 */
class InteropIT {
    private static final Path SOURCE = Path.of("src/test/interop");
    private static final Path WORK = Path.of("target/interop");
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void nostrToolsPublishesQueriesSubscribesReconcilesAndIsRefusedATamperedEvent() throws Exception {
        installScript();
        JsonNode result = new ObjectMapper().readTree(lastLine(run(120, "node", "interop.mjs", relay.url())));

        JsonNode publish = result.path("publish");
        assertThat(publish.path("ok").asBoolean()).as(publish.toString()).isTrue();
        assertThat(result.path("query").path("ids")).extracting(JsonNode::asText)
                .containsExactly(publish.path("id").asText());
        assertThat(result.path("query").path("verified").asBoolean()).isTrue();

        JsonNode live = result.path("live");
        assertThat(live.path("afterEose").asBoolean()).as(live.toString()).isTrue();
        assertThat(live.path("verified").asBoolean()).isTrue();
        assertThat(result.path("livePublish").path("ok").asBoolean()).isTrue();

        JsonNode tampered = result.path("tampered");
        assertThat(tampered.path("ok").asBoolean()).as(tampered.toString()).isFalse();
        assertThat(tampered.path("message").asText()).startsWith("invalid: event id does not match");

        assertThat(result.path("auth").path("ok").asBoolean()).as(result.path("auth").toString()).isTrue();

        JsonNode negentropy = result.path("negentropy");
        assertThat(negentropy.path("closedBy").isNull()).as("ended by the client, not NEG-ERR: " + negentropy)
                .isTrue();
        assertThat(texts(negentropy.path("need"))).as("ids only the relay has").hasSize(12)
                .containsExactlyInAnyOrderElementsOf(texts(negentropy.path("expected").path("need")));
        assertThat(texts(negentropy.path("have"))).as("ids only the client has").hasSize(4)
                .containsExactlyInAnyOrderElementsOf(texts(negentropy.path("expected").path("have")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    /** A copy of the script under target/, with its dependencies installed exactly as locked. */
    private static void installScript() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "interop.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        run(300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }

    private static String run(int timeoutSeconds, String... command) throws Exception {
        Path log = Files.createTempFile(WORK.toAbsolutePath(), command[0], ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException notInstalled) {
            fail(command[0] + " was not found on the PATH (" + notInstalled.getMessage() + "): this test needs "
                    + "Node.js 20+ with npm, to install nostr-tools from npm. Install them (apt-get install nodejs "
                    + "npm, or from nodejs.org) and run the build again.");
            throw notInstalled;
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                    + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed with status " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    private static String lastLine(String output) {
        List<String> lines = new ArrayList<>();
        try (Stream<String> all = output.lines()) {
            all.filter(line -> line.startsWith("{")).forEach(lines::add);
        }
        assertThat(lines).as("a JSON line in the script's output:\n" + output).isNotEmpty();
        return lines.get(lines.size() - 1);
    }
}
