package dev.nostrgate.cli.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.keys.KeyInput;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nostr event}: builds and signs an event from flags, or signs unsigned events read from standard input
 * (one JSON object a line), and prints each signed event as one JSON line, ready for {@code nostr publish}.
 */
@Command(name = "event", mixinStandardHelpOptions = true,
        description = "Build and sign an event from flags, or sign unsigned JSON events from stdin (--stdin); "
                + "prints each as one JSON line.")
public final class EventCommand implements Callable<Integer> {
    /** The environment variable a secret key may come from, so that it stays out of the shell's history. */
    public static final String SECRET_KEY_ENV = "NOSTR_SECRET_KEY";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = {"-k", "--kind"}, defaultValue = "1", description = "kind (default: ${DEFAULT-VALUE})")
    int kind;

    @Option(names = {"-c", "--content"}, defaultValue = "", description = "content (default: empty)")
    String content;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME=VALUE[;MORE...]", description = "a tag, repeatable: "
            + "-t e=<id>;wss://relay;reply gives [\"e\",\"<id>\",\"wss://relay\",\"reply\"]")
    List<String> tags = new ArrayList<>();

    @Option(names = "--created-at", paramLabel = "UNIX", description = "created_at (default: now)")
    Long createdAt;

    @Option(names = "--sec", paramLabel = "KEY", description = "secret key, nsec or hex (default: $"
            + SECRET_KEY_ENV + ")")
    String sec;

    @Option(names = "--stdin", description = "sign the unsigned events on stdin (JSON lines with kind, content, "
            + "tags, created_at) instead of building one from flags")
    boolean stdin;

    @Override
    public Integer call() {
        SecKey key = secretKey(sec);
        PrintWriter out = spec.commandLine().getOut();
        if (stdin) {
            EventLines.forEachStdinLine(line -> out.println(fromJson(line, key).sign(key).toJson()));
        } else {
            long at = createdAt != null ? createdAt : Instant.now().getEpochSecond();
            List<Tag> parsed = tags.stream().map(EventCommand::tag).toList();
            out.println(new UnsignedEvent(key.pubKey(), at, kind, parsed, content).sign(key).toJson());
        }
        out.flush();
        return 0;
    }

    /** The key from {@code --sec}, else from the environment. */
    public static SecKey secretKey(String sec) {
        String value = sec != null ? sec : System.getenv(SECRET_KEY_ENV);
        if (value == null || value.isBlank()) {
            throw new CliException("no secret key: give --sec <nsec or hex> or set " + SECRET_KEY_ENV);
        }
        return KeyInput.secretKey(value);
    }

    /** {@code name=value;more} as a tag. */
    static Tag tag(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new CliException("a tag is NAME=VALUE[;MORE...], was \"" + text + "\"");
        }
        List<String> values = new ArrayList<>();
        values.add(text.substring(0, equals));
        values.addAll(Arrays.asList(text.substring(equals + 1).split(";", -1)));
        return new Tag(values);
    }

    private static UnsignedEvent fromJson(String line, SecKey key) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (Exception e) {
            throw new CliException("stdin: not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!node.isObject()) {
            throw new CliException("stdin: an unsigned event is a JSON object, was " + node.getNodeType());
        }
        List<Tag> tags = new ArrayList<>();
        for (JsonNode tag : node.path("tags")) {
            List<String> values = new ArrayList<>();
            tag.forEach(value -> values.add(value.asText()));
            tags.add(new Tag(values));
        }
        long at = node.has("created_at") ? node.get("created_at").asLong() : Instant.now().getEpochSecond();
        return new UnsignedEvent(key.pubKey(), at, node.path("kind").asInt(1), tags, node.path("content").asText(""));
    }
}
